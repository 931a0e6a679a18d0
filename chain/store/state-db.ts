import path from "node:path";
import { open, type Database } from "lmdb";
import type { PruningOptions } from "./pruning.ts";

/**
 * Decoded IAVL nodes kept in memory by default (app.toml's iavl-cache-size): ~200 MB at
 * ~1.4 KB a node. The SDK's 781,250 is sized for Go's smaller nodes.
 */
export const DEFAULT_CACHE_NODES = 150_000;

export interface StoreOptions {
  /** Which versions are kept (the SDK's pruning settings); by default the SDK's "default". */
  readonly pruning?: PruningOptions;
  /** The node cache's size, in nodes: with the block being built, what bounds memory. */
  readonly cacheNodes?: number;
  /** Latest committed values kept in memory, in entries (see value-cache.ts). */
  readonly cacheValues?: number;
}

export interface CommitInfo {
  readonly height: bigint;
  readonly appHash: Uint8Array;
}

/**
 * Address space reserved for the map (not memory, not disk: the file grows as it is
 * written). Fixed, so the map never grows: lmdb-js keeps each outgrown mapping alive,
 * and the same file pages then count once per mapping in RSS (9.9 GB of file pages for
 * a 3.9 GB database in bench-registry). 1 TiB of state is far beyond any plan here.
 */
export const MAP_SIZE = 2 ** 40;

/** The LMDB data file inside the store's directory (data/application.db). */
export const STATE_DB_FILE = "state.mdb";

/** The state's LMDB environment in `dir` (keys and values are raw bytes). */
export function openStateDb(dir: string): Database<Buffer, Buffer> {
  return open<Buffer, Buffer>({ path: path.join(dir, STATE_DB_FILE), keyEncoding: "binary", encoding: "binary", compression: false, mapSize: MAP_SIZE });
}
