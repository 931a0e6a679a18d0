import { createRequire } from "node:module";
import type sortedBtree from "sorted-btree";
import { sdkErrors } from "../errors.ts";
import { applyRange, MAX_KEY_BYTES, prefixEnd, type KeyRange, type KVReader, type KVStore, type Write } from "./kv.ts";

// sorted-btree is CommonJS with `exports.default`; require() gives the same object under every loader.
const BTree: typeof sortedBtree.default = createRequire(import.meta.url)("sorted-btree").default;

/** A deletion in the write buffer (the B-tree cannot hold `undefined` as a value). */
const DELETED = null;

/**
 * A write buffer over a parent store: reads fall through, writes stay here until
 * `flush()` pushes them down (or the cache is dropped). Nest caches to branch
 * state per block, per tx and per message. Writes are kept sorted, so a range scan
 * costs O(log n + hits) however many writes the branch holds.
 */
export class CacheKV implements KVStore {
  private readonly writes = new BTree<string, Uint8Array | null>();

  constructor(private readonly parent: KVReader & Partial<Pick<KVStore, "set" | "delete">>) {}

  get(key: string): Uint8Array | undefined {
    const local = this.writes.get(key);
    if (local !== undefined) return local ?? undefined;
    return this.parent.get(key);
  }

  set(key: string, value: Uint8Array): void {
    // the database cannot hold a longer key: refuse the write here, in the tx, not at commit
    if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key) > MAX_KEY_BYTES) throw sdkErrors.invalidRequest.wrap(`state key of ${Buffer.byteLength(key)} bytes (at most ${MAX_KEY_BYTES}): an input is too long`);
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, DELETED);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    const stop = end ?? prefixEnd(prefix);
    const from = range?.from !== undefined && range.from > prefix ? range.from : prefix;
    const local: Array<[string, Uint8Array | null]> = [];
    this.writes.forRange(from, stop, false, (k, v) => {
      if (k.startsWith(prefix)) local.push([k, v]);
    });
    // local deletions may hide parent entries: ask the parent for that many more
    const hidden = local.filter(([, v]) => v === DELETED).length;
    const parent = this.parent.iterate(prefix, end, range && { from, limit: range.limit === undefined ? undefined : range.limit + hidden });
    if (local.length === 0) return applyRange(parent, range && { limit: range.limit });
    // merge two sorted lists; a local write (or deletion) wins over the parent's value
    const out: Array<[string, Uint8Array]> = [];
    let i = 0;
    let j = 0;
    while (i < parent.length || j < local.length) {
      if (j >= local.length || (i < parent.length && parent[i][0] < local[j][0])) {
        out.push(parent[i++]);
        continue;
      }
      const [k, v] = local[j++];
      if (i < parent.length && parent[i][0] === k) i++;
      if (v !== DELETED) out.push([k, v]);
    }
    // a limited parent list may end before local keys past it: keep only what is certain
    const certain = range?.limit !== undefined && parent.length === range.limit + hidden && parent.length > 0
      ? out.filter(([k]) => k <= parent[parent.length - 1][0])
      : out;
    return applyRange(certain, range && { limit: range.limit });
  }

  /** Writes pushed into the parent store (which must be writable). */
  flush(): void {
    const { set, delete: del } = this.parent;
    if (!set || !del) throw new Error("CacheKV.flush: parent store is read-only");
    this.writes.forEach((v, k) => {
      if (v === DELETED) del.call(this.parent, k);
      else set.call(this.parent, k, v);
    });
    this.writes.clear();
  }

  /** This cache's writes in ascending key order (for hashing and persistence). */
  sortedWrites(): Write[] {
    const out: Write[] = [];
    this.writes.forEach((v, k) => out.push([k, v ?? undefined]));
    return out;
  }
}
