import { createHash } from "node:crypto";
import { Level } from "level";
import { createRequire } from "node:module";
import type sortedBtree from "sorted-btree";
import { createMPT, type MerklePatriciaTrie } from "@ethereumjs/mpt";
import { PendingTrieDB } from "./pending-db.ts";
import { applyRange, prefixEnd, type KeyRange, type KVReader, type Write } from "./kv.ts";
import { decodeUndoLog, encodeUndoLog, type UndoLog } from "./undo-log.ts";

const sha256 = (m: Uint8Array): Uint8Array => new Uint8Array(createHash("sha256").update(m).digest());
const utf8 = new TextEncoder();
// sorted-btree is CommonJS with `exports.default`; require() gives the same object under every loader.
const BTree: typeof sortedBtree.default = createRequire(import.meta.url)("sorted-btree").default;

// level key spaces
const FLAT = "s/"; // latest value of every key (loaded into memory at start)
const UNDO = "u/"; // per height: the values its writes replaced (reads at recent heights)
const META = "m/"; // last committed height, app hash, root per height

/** Heights whose state stays queryable by default (like the SDK's default pruning). */
export const DEFAULT_KEEP_RECENT = 100;

function undoKey(height: bigint): string {
  return UNDO + height.toString().padStart(20, "0");
}

export interface CommitInfo {
  readonly height: bigint;
  readonly appHash: Uint8Array;
}

/**
 * The chain's state on disk.
 *
 * - The app hash is the root of a Merkle Patricia Trie (@ethereumjs/mpt) over
 *   sha256(key) -> value. Each block updates only the keys it wrote, so the cost per
 *   block follows the block's writes, not the size of the state.
 * - The latest state also lives in an in-memory B+tree for synchronous, ordered reads;
 *   level holds a flat copy (to load it back at start).
 * - Each block's undo log (the values its writes replaced) is kept for the last
 *   `keepRecent` heights, so queries can read any recent height synchronously.
 * - A block's trie nodes, flat writes, undo log and metadata are written in one level
 *   batch at Commit, so a crash leaves either the previous or the new block.
 */
export class CommittedStore implements KVReader {
  private readonly latest = new BTree<string, Uint8Array>();
  /** Undo log of what has been staged but not committed yet. */
  private staged: UndoLog = new Map();
  private readonly undoLogs = new Map<bigint, UndoLog>();
  private lastCommit: CommitInfo = { height: 0n, appHash: new Uint8Array() };

  private constructor(
    private readonly db: Level<string, Uint8Array>,
    private readonly trieDb: PendingTrieDB,
    private readonly trie: MerklePatriciaTrie,
    readonly keepRecent: number,
  ) {}

  static async open(path: string, keepRecent = DEFAULT_KEEP_RECENT): Promise<CommittedStore> {
    const db = new Level<string, Uint8Array>(path, { keyEncoding: "utf8", valueEncoding: "view" });
    await db.open();
    const trieDb = new PendingTrieDB(db);
    const trie = await createMPT({
      db: trieDb,
      useKeyHashing: true,
      useKeyHashingFunction: sha256,
      valueEncoding: "view" as const,
      // trie nodes kept in memory: the upper levels of a large state are read on every write
      cacheSize: 500_000,
      common: { customCrypto: { keccak256: sha256 } },
    });
    const store = new CommittedStore(db, trieDb, trie, keepRecent);
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    const height = await this.db.get(META + "height");
    if (height === undefined) return;
    const appHash = (await this.db.get(META + "app_hash")) ?? new Uint8Array();
    this.lastCommit = { height: BigInt(Buffer.from(height).toString()), appHash };
    this.trie.root(appHash);
    for await (const [k, v] of this.db.iterator({ gte: FLAT, lt: prefixEnd(FLAT) })) {
      this.latest.set(k.slice(FLAT.length), v);
    }
    for await (const [k, v] of this.db.iterator({ gte: UNDO, lt: prefixEnd(UNDO) })) {
      this.undoLogs.set(BigInt(k.slice(UNDO.length)), decodeUndoLog(v));
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  get lastCommitted(): CommitInfo {
    return this.lastCommit;
  }

  /** True between staging a block and committing it. */
  get hasStaged(): boolean {
    return this.staged.size > 0;
  }

  get(key: string): Uint8Array | undefined {
    return this.latest.get(key);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    const out: Array<[string, Uint8Array]> = [];
    const stop = end !== undefined && end < prefixEnd(prefix) ? end : prefixEnd(prefix);
    const from = range?.from !== undefined && range.from > prefix ? range.from : prefix;
    const limit = range?.limit ?? Infinity;
    if (limit <= 0) return out;
    this.latest.forRange(from, stop, false, (k, v) => {
      out.push([k, v]);
      if (out.length >= limit) return { break: true };
    });
    return out;
  }

  /** Number of keys in the latest state. */
  get size(): number {
    return this.latest.size;
  }

  /** Applies writes (sorted by key) and returns the new root. Not durable until commit(). */
  async stage(writes: readonly Write[]): Promise<Uint8Array> {
    for (const [key, value] of writes) {
      if (!this.staged.has(key)) this.staged.set(key, this.latest.get(key));
      const k = utf8.encode(key);
      if (value === undefined) {
        this.latest.delete(key);
        await this.trie.del(k);
      } else {
        this.latest.set(key, value);
        await this.trie.put(k, value);
      }
    }
    return this.trie.root();
  }

  /** The root the next commit would record. */
  currentRoot(): Uint8Array {
    return this.trie.root();
  }

  /** Makes everything staged durable as `height`, atomically. */
  async commit(height: bigint): Promise<CommitInfo> {
    const appHash = this.trie.root();
    const ops: Array<{ type: "put" | "del"; key: string; value?: Uint8Array }> = this.trieDb.takePending();
    for (const key of this.staged.keys()) {
      const v = this.latest.get(key);
      ops.push(v === undefined ? { type: "del", key: FLAT + key } : { type: "put", key: FLAT + key, value: v });
    }
    ops.push({ type: "put", key: undoKey(height), value: encodeUndoLog(this.staged) });
    const expired = height - BigInt(this.keepRecent);
    if (expired > 0n) ops.push({ type: "del", key: undoKey(expired) });
    ops.push({ type: "put", key: META + "height", value: utf8.encode(height.toString()) });
    ops.push({ type: "put", key: META + "app_hash", value: appHash });
    ops.push({ type: "put", key: `${META}root/${height}`, value: appHash });
    await this.db.batch(ops as never);
    this.undoLogs.set(height, this.staged);
    this.undoLogs.delete(expired);
    this.staged = new Map();
    this.lastCommit = { height, appHash };
    return this.lastCommit;
  }

  /** Oldest height whose state can still be read. */
  get earliestQueryableHeight(): bigint {
    const h = this.lastCommit.height - BigInt(this.keepRecent) + 1n;
    return h < 1n ? 1n : h;
  }

  /** A synchronous reader of the state as committed at `height` (a recent one). */
  readerAt(height: bigint): KVReader {
    const last = this.lastCommit.height;
    if (height > last) throw new RangeError(`height ${height} is not committed yet (latest is ${last})`);
    const layers: UndoLog[] = [];
    for (let h = height + 1n; h <= last; h++) {
      const log = this.undoLogs.get(h);
      if (!log) throw new RangeError(`height ${height} is no longer available: this node keeps the last ${this.keepRecent} heights`);
      layers.push(log);
    }
    if (this.hasStaged) layers.push(this.staged);
    if (layers.length === 0) return this;
    return new UndoneReader(this, layers);
  }
}

/** The latest state with the undo logs of later blocks applied, oldest first. */
class UndoneReader implements KVReader {
  constructor(private readonly latest: KVReader, private readonly layers: UndoLog[]) {}

  get(key: string): Uint8Array | undefined {
    for (const layer of this.layers) if (layer.has(key)) return layer.get(key);
    return this.latest.get(key);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    return applyRange(this.iterateAll(prefix, end), range);
  }

  private iterateAll(prefix: string, end?: string): Array<[string, Uint8Array]> {
    const merged = new Map(this.latest.iterate(prefix, end));
    const decided = new Set<string>();
    for (const layer of this.layers) {
      for (const [k, v] of layer) {
        if (!k.startsWith(prefix) || (end !== undefined && k >= end) || decided.has(k)) continue;
        decided.add(k);
        if (v === undefined) merged.delete(k);
        else merged.set(k, v);
      }
    }
    return [...merged].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
