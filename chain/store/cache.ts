import type { KVReader, KVStore, Write } from "./kv.ts";

/**
 * A write buffer over a parent store: reads fall through, writes stay here until
 * `flush()` pushes them down (or the cache is dropped). Nest caches to branch
 * state per block, per tx and per message.
 */
export class CacheKV implements KVStore {
  private readonly writes = new Map<string, Uint8Array | undefined>();

  constructor(private readonly parent: KVReader & Partial<Pick<KVStore, "set" | "delete">>) {}

  get(key: string): Uint8Array | undefined {
    if (this.writes.has(key)) return this.writes.get(key);
    return this.parent.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, undefined);
  }

  iterate(prefix: string, end?: string): Array<[string, Uint8Array]> {
    const local = [...this.writes.keys()].filter((k) => k.startsWith(prefix) && (end === undefined || k < end));
    if (local.length === 0) return this.parent.iterate(prefix, end);
    const merged = new Map(this.parent.iterate(prefix, end));
    for (const k of local) {
      const v = this.writes.get(k);
      if (v === undefined) merged.delete(k);
      else merged.set(k, v);
    }
    return [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Writes pushed into the parent store (which must be writable). */
  flush(): void {
    const { set, delete: del } = this.parent;
    if (!set || !del) throw new Error("CacheKV.flush: parent store is read-only");
    for (const [k, v] of this.writes) {
      if (v === undefined) del.call(this.parent, k);
      else set.call(this.parent, k, v);
    }
    this.writes.clear();
  }

  /** This cache's writes in ascending key order (for hashing and persistence). */
  sortedWrites(): Write[] {
    return [...this.writes.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
