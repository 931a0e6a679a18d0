import type { Database } from "lmdb";
import { LRUCache } from "lru-cache";
import { decodeRootRef, IavlNode } from "./node.ts";
import type { NodeSource } from "./tree.ts";
import { nodeKey } from "../layout.ts";

/** Decoded nodes of all stores, least recently used dropped first; `max` nodes at most. */
export class NodeCache {
  private readonly lru: LRUCache<string, IavlNode>;
  hits = 0;
  misses = 0;

  constructor(readonly max: number) {
    this.lru = new LRUCache<string, IavlNode>({ max: Math.max(1, max) });
  }

  static key(store: string, nodeKey: Uint8Array): string {
    return store + "\0" + Buffer.from(nodeKey.buffer, nodeKey.byteOffset, nodeKey.byteLength).toString("latin1");
  }

  get(k: string): IavlNode | undefined {
    const n = this.lru.get(k);
    if (n) this.hits++;
    else this.misses++;
    return n;
  }

  set(k: string, n: IavlNode): void {
    this.lru.set(k, n);
  }

  get size(): number {
    return this.lru.size;
  }
}

/** One store's nodes: the cache, else the database. */
export class StoreNodes implements NodeSource {
  constructor(
    private readonly db: Database<Buffer, Buffer>,
    private readonly cache: NodeCache,
    readonly store: string,
  ) {}

  load(key: Uint8Array, hash: Uint8Array): IavlNode {
    const ck = NodeCache.key(this.store, key);
    const hit = this.cache.get(ck);
    if (hit) return hit;
    const raw = this.db.get(nodeKey(this.store, key));
    if (!raw) throw new Error(`IAVL node ${Buffer.from(key).toString("hex")} of store ${this.store} is missing (pruned, or the database is damaged)`);
    const n = IavlNode.decode(new Uint8Array(key), new Uint8Array(hash), raw);
    this.cache.set(ck, n);
    return n;
  }

  /** A root from its record (see encodeRootRef); undefined for an empty tree. */
  loadRoot(record: Uint8Array): IavlNode | undefined {
    const ref = decodeRootRef(record);
    return ref && this.load(ref.nodeKey, ref.hash);
  }

  /** Keeps a just-written node in the cache (it is likely read next). */
  remember(n: IavlNode): void {
    this.cache.set(NodeCache.key(this.store, n.nodeKey!), n);
  }
}
