import fs from "node:fs";
import type { Database } from "lmdb";
import type { ProofOp } from "cosmjs-types/tendermint/crypto/proof";
import { commitHash, type StoreRoot } from "./commit-info.ts";
import { keyProof } from "./key-proof.ts";
import { NodeCache, StoreNodes } from "./iavl/node-db.ts";
import { be64, fastKey, metaKey, nodeKey, orphanKey, rootKey, versionKey } from "./layout.ts";
import { deleteVersion } from "./delete-version.ts";
import { encodeRootRef, type IavlNode } from "./iavl/node.ts";
import { MutableTree } from "./iavl/tree.ts";
import { exportTree, type ExportNode } from "./iavl/export.ts";
import { StoreRestore } from "./restore.ts";
import { splitKey, VersionReader } from "./version-reader.ts";
import { flatGet, flatRange } from "./flat-index.ts";
import { DEFAULT_CACHE_VALUES, ValueCache } from "./value-cache.ts";
import { takeLock } from "./lock.ts";
import { describePruning, keptBefore, PRUNING_DEFAULT, versionsToPrune, type PruningOptions } from "./pruning.ts";
import type { KeyRange, KVReader, Write } from "./kv.ts";
import { DEFAULT_CACHE_NODES, openStateDb, type CommitInfo, type StoreOptions } from "./state-db.ts";

/** Versions deleted by one pruning at most, beyond its interval (a lowered keep-recent catches up over the next prunings). */
const PRUNE_CATCH_UP = 16;

/**
 * The chain's state on disk: one IAVL+ tree per store (a key's store is its first
 * segment, "bank/balances/…" lives in "bank"), in LMDB, with the SDK's layout.
 *
 * - The app hash is the SDK's CommitInfo hash over the stores' roots (commit-info.ts),
 *   so ICS23 proofs of a key (iavl, then simple) check against it.
 * - The latest committed values also sit in a flat index ("fast node" storage in
 *   cosmos/iavl), so the state machine reads a key with one database lookup; past
 *   heights are read through their trees.
 * - Memory holds the block being built and a bounded cache of decoded nodes, not the
 *   state: reads of older nodes go to LMDB (memory-mapped, synchronous reads).
 * - A block's nodes, orphans, roots, flat-index writes, metadata and pruning are one
 *   LMDB transaction at Commit, so a crash leaves either the previous or the new block.
 * - Versions past what `pruning` keeps are deleted at commit through their orphans (the
 *   nodes a version replaced), so the disk holds the state plus that history.
 */
export class CommittedStore implements KVReader {
  private readonly trees = new Map<string, MutableTree>();
  private readonly nodes = new Map<string, StoreNodes>();
  private readonly cache: NodeCache;
  /** What the block being built wrote (undefined: deleted), over the committed index. */
  private staged = new Map<string, Uint8Array | undefined>();
  private pendingVersion: number | undefined;
  private lastCommit: CommitInfo = { height: 0n, appHash: commitHash([]) };
  /** The first version this database holds (the chain's initial height, or a restored snapshot's). */
  private first = 0;
  /** Every version up to this one is deleted, except keep-every ones. */
  private prunedThrough = 0;
  /** Versions being exported to a snapshot: pruning leaves them until unpinned. */
  private readonly pinned = new Set<number>();
  /** Versions pruning skipped while pinned, deleted at a later commit. */
  private deferred: number[] = [];
  readonly pruning: PruningOptions;
  /** The latest committed state, without what is staged. */
  readonly committed: KVReader = { get: (k) => this.values.get(k, this.readFlat), iterate: (p, e, r) => flatRange(this.db, p, e, r) };
  private readonly values: ValueCache;
  private readonly readFlat = (key: string) => flatGet(this.db, key);

  private constructor(private readonly db: Database<Buffer, Buffer>, opts: StoreOptions, private readonly lockFile: string) {
    this.pruning = opts.pruning ?? PRUNING_DEFAULT;
    this.cache = new NodeCache(opts.cacheNodes ?? DEFAULT_CACHE_NODES);
    this.values = new ValueCache(opts.cacheValues ?? DEFAULT_CACHE_VALUES);
  }

  /** `opts` as a number: keep that many recent versions, pruning at every commit. */
  static async open(dir: string, opts: StoreOptions | number = {}): Promise<CommittedStore> {
    fs.mkdirSync(dir, { recursive: true });
    const lock = takeLock(dir);
    const store = new CommittedStore(openStateDb(dir), typeof opts === "number" ? { pruning: { keepRecent: opts, keepEvery: 0, interval: 1 } } : opts, lock);
    store.load();
    return store;
  }

  private load(): void {
    this.values.clear(); // a restore wrote the flat index underneath it
    const height = this.db.get(metaKey("height"));
    if (!height) {
      // nothing committed: whatever is here is a restore or a genesis a crash cut short
      this.db.clearSync();
      return;
    }
    const h = Number(height.toString());
    this.lastCommit = { height: BigInt(h), appHash: new Uint8Array(this.db.get(metaKey("app_hash"))!) };
    this.first = Number(this.db.get(metaKey("first"))!.toString());
    this.prunedThrough = Number(this.db.get(metaKey("pruned"))!.toString());
    this.deferred = JSON.parse(this.db.get(metaKey("deferred"))?.toString() ?? "[]") as number[];
    for (const name of JSON.parse(this.db.get(metaKey("stores"))!.toString()) as string[]) {
      const root = this.db.get(rootKey(name, h));
      this.trees.set(name, new MutableTree(this.nodesOf(name), root ? this.nodesOf(name).loadRoot(root) : undefined, h + 1));
    }
  }

  async close(): Promise<void> {
    await this.db.close();
    fs.rmSync(this.lockFile, { force: true });
  }

  get lastCommitted(): CommitInfo {
    return this.lastCommit;
  }

  /** True between staging a block and committing it. */
  get hasStaged(): boolean {
    return this.staged.size > 0;
  }

  get(key: string): Uint8Array | undefined {
    return this.staged.has(key) ? this.staged.get(key) : this.values.get(key, this.readFlat);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    return flatRange(this.db, prefix, end, range, this.staged);
  }

  /** Number of keys in the latest state (staged writes included). */
  get size(): number {
    let n = 0;
    for (const t of this.trees.values()) n += t.size;
    return n;
  }

  /** Cache hits and misses of the node cache, and its size (for metrics and benchmarks). */
  get cacheStats(): { hits: number; misses: number; size: number; max: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, size: this.cache.size, max: this.cache.max };
  }

  /** The same for the inter-block value cache (value-cache.ts). */
  get valueCacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.values.hits, misses: this.values.misses, size: this.values.size };
  }

  /**
   * Applies writes to the block being built (version `height`, by default the next one)
   * and returns the app hash it would commit. Not durable until commit().
   */
  async stage(writes: readonly Write[], height?: bigint): Promise<Uint8Array> {
    const v = height !== undefined ? Number(height) : (this.pendingVersion ?? Number(this.lastCommit.height) + 1);
    if (this.pendingVersion !== undefined && v !== this.pendingVersion) throw new Error(`height ${v} staged while height ${this.pendingVersion} is pending`);
    if (v <= Number(this.lastCommit.height)) throw new Error(`height ${v} is already committed (latest is ${this.lastCommit.height})`);
    const split = writes.map(([key]) => splitKey(key)); // every key checked before anything changes
    if (this.pendingVersion === undefined) for (const t of this.trees.values()) t.version = v;
    this.pendingVersion = v;
    for (let i = 0; i < writes.length; i++) {
      const [key, value] = writes[i];
      const { store, inner } = split[i];
      const tree = this.treeOf(store, v);
      this.staged.set(key, value);
      if (value === undefined) tree.remove(inner);
      else tree.set(inner, value);
    }
    return this.currentRoot();
  }

  /** The app hash the next commit would record. */
  currentRoot(): Uint8Array {
    return commitHash(this.roots());
  }

  /** Every store's root in the working state, by name. */
  private roots(): StoreRoot[] {
    return [...this.trees].map(([name, t]) => ({ name, root: t.hash() }));
  }

  /** Makes everything staged durable as `height`, atomically, and prunes the versions `pruning` no longer keeps. */
  async commit(height: bigint): Promise<CommitInfo> {
    const v = Number(height);
    if (this.pendingVersion !== undefined && this.pendingVersion !== v) throw new Error(`commit of height ${v} while height ${this.pendingVersion} is staged`);
    if (v <= Number(this.lastCommit.height)) throw new Error(`height ${v} is already committed`);
    if (this.pendingVersion === undefined) for (const t of this.trees.values()) t.version = v;
    const appHash = this.currentRoot();
    const written = new Map<string, IavlNode[]>();
    for (const [name, t] of this.trees) written.set(name, t.newNodes());
    const first = this.first === 0 ? v : this.first;
    const prune = versionsToPrune(this.pruning, v, this.first === 0 ? v - 1 : this.prunedThrough, Math.max(this.pruning.interval, 1) + PRUNE_CATCH_UP);
    // a version a snapshot is reading waits; those that waited go once it is done
    const candidates = [...this.deferred, ...prune.versions];
    const deferred = candidates.filter((d) => this.pinned.has(d));
    const toDelete = candidates.filter((d) => !this.pinned.has(d)).sort((a, b) => a - b);
    await this.db.transaction(() => {
      for (const [name, t] of this.trees) {
        for (const n of written.get(name)!) this.db.put(nodeKey(name, n.nodeKey!), Buffer.from(n.encode()));
        for (const o of t.orphans) this.db.put(orphanKey(v - 1, name, o.nodeKey!), be64(o.version));
        this.db.put(rootKey(name, v), Buffer.from(encodeRootRef(t.root)));
      }
      for (const [key, value] of this.staged) {
        if (value === undefined) this.db.remove(fastKey(key));
        else this.db.put(fastKey(key), Buffer.from(value));
      }
      this.db.put(versionKey(v), Buffer.from(appHash));
      for (const d of toDelete) deleteVersion(this.db, this.trees.keys(), d, this.keptBefore(d, first, deferred));
      this.db.put(metaKey("height"), Buffer.from(String(v)));
      this.db.put(metaKey("app_hash"), Buffer.from(appHash));
      this.db.put(metaKey("first"), Buffer.from(String(first)));
      this.db.put(metaKey("pruned"), Buffer.from(String(prune.prunedThrough)));
      this.db.put(metaKey("deferred"), Buffer.from(JSON.stringify(deferred)));
      this.db.put(metaKey("stores"), Buffer.from(JSON.stringify([...this.trees.keys()].sort())));
    });
    for (const [name, t] of this.trees) {
      const nodes = written.get(name)!;
      t.markPersisted(nodes, v + 1);
      for (const n of nodes) this.nodesOf(name).remember(n);
    }
    for (const [key, value] of this.staged) this.values.put(key, value);
    this.first = first;
    this.prunedThrough = prune.prunedThrough;
    this.deferred = deferred;
    this.staged = new Map();
    this.pendingVersion = undefined;
    this.lastCommit = { height, appHash };
    return this.lastCommit;
  }

  /** The newest version kept before `d`: a keep-every one, or one still waiting for a snapshot. */
  private keptBefore(d: number, first: number, waiting: readonly number[]): number | undefined {
    let best = keptBefore(this.pruning, d, first);
    for (const w of waiting) if (w < d && (best === undefined || w > best)) best = w;
    return best;
  }

  /** Keeps a version from pruning while a snapshot reads it. */
  pin(height: bigint): void {
    this.checkKept(height);
    this.pinned.add(Number(height));
  }

  unpin(height: bigint): void {
    this.pinned.delete(Number(height));
  }

  /** Every store's nodes at a kept height, store by store in name order, each in post-order: what a snapshot holds. */
  *exportAt(height: bigint): Generator<{ store: string } | ExportNode> {
    this.checkKept(height);
    for (const [name, root] of [...this.rootNodesAt(height)].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      yield { store: name };
      yield* exportTree(this.nodesOf(name), root);
    }
  }

  /** Starts filling this (empty) store from a snapshot of `height`; see StoreRestore. */
  beginRestore(height: bigint): StoreRestore {
    if (this.lastCommit.height !== 0n || this.trees.size > 0 || this.staged.size > 0) throw new Error(`a snapshot restores into an empty state; this one is at height ${this.lastCommit.height}`);
    return new StoreRestore(this.db, Number(height), () => this.load());
  }

  /** Oldest height whose state can still be read. */
  get earliestQueryableHeight(): bigint {
    return BigInt(Math.max(1, this.first, this.prunedThrough + 1));
  }

  /** A synchronous reader of the state as committed at `height` (a kept one). */
  readerAt(height: bigint): KVReader {
    this.checkKept(height);
    if (height === this.lastCommit.height) return this.committed;
    return new VersionReader(this.rootNodesAt(height), (name) => this.nodesOf(name));
  }

  /**
   * The value of `key` in `store` at `height` with the ICS23 proofs that tie it to that
   * height's app hash (found in the header of height + 1): the key's existence, or
   * absence, in the store's tree ("ics23:iavl"), then the store's root in the commit
   * info ("ics23:simple"), as the SDK's rootmulti store answers `/store/<name>/key`.
   */
  proveAt(height: bigint, store: string, key: Uint8Array): { value: Uint8Array | undefined; proofOps: ProofOp[] } {
    this.checkKept(height);
    const nodes = this.rootNodesAt(height);
    if (!nodes.has(store)) throw new RangeError(`no store named ${JSON.stringify(store)} at height ${height}`);
    return keyProof(nodes, this.nodesOf(store), store, key);
  }

  private checkKept(height: bigint): void {
    const last = this.lastCommit.height;
    if (height > last) throw new RangeError(`height ${height} is not committed yet (latest is ${last})`);
    if (height < 1n || (height < last && !this.db.get(versionKey(Number(height))))) throw new RangeError(`height ${height} is no longer available: this node keeps ${describePruning(this.pruning)}`);
  }

  /** Each store's root node at a kept height (undefined: the store is empty). */
  private rootNodesAt(height: bigint): Map<string, IavlNode | undefined> {
    const roots = new Map<string, IavlNode | undefined>();
    for (const name of this.trees.keys()) {
      const r = this.db.get(rootKey(name, Number(height)));
      if (r) roots.set(name, this.nodesOf(name).loadRoot(r));
    }
    return roots;
  }

  private nodesOf(name: string): StoreNodes {
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new StoreNodes(this.db, this.cache, name)));
    return n;
  }

  private treeOf(name: string, version: number): MutableTree {
    let t = this.trees.get(name);
    if (!t) this.trees.set(name, (t = new MutableTree(this.nodesOf(name), undefined, version)));
    return t;
  }
}
