/**
 * Where everything of the state lives in its LMDB database. Keys (bytes):
 *
 *   n <store> 0x00 <node key>                       → an IAVL node (node key: be64 version written, be32 order)
 *   o <be64 last version> <store> 0x00 <node key>   → be64 the node's version (an orphan: gone after its last version)
 *   r <store> 0x00 <be64 version>                   → a store's root at that version: node key and hash (empty: empty tree)
 *   v <be64 version>                            → the app hash of a kept version
 *   f <key>                                     → the latest committed value of a key (the flat index)
 *   m <name>                                    → metadata: height, app_hash, first, pruned, deferred, stores
 */
export const NODE = 0x6e; // "n"
export const ORPHAN = 0x6f; // "o"
export const ROOT = 0x72; // "r"
export const VERSION = 0x76; // "v"
export const FAST = 0x66; // "f"

const utf8 = new TextEncoder();

/** A store's name: a key's first segment. "/" sorts below these characters, so store order is key order. */
export const STORE_NAME = /^[a-z0-9_]+$/;

export function be64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
}

function storeTag(store: string): Buffer {
  return Buffer.concat([utf8.encode(store), Uint8Array.of(0)]);
}

export function nodeKey(store: string, key: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of(NODE), storeTag(store), key]);
}

export function rootKey(store: string, version: number): Buffer {
  return Buffer.concat([Uint8Array.of(ROOT), storeTag(store), be64(version)]);
}

export function orphanKey(lastVersion: number, store: string, key: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of(ORPHAN), be64(lastVersion), storeTag(store), key]);
}

/** Splits an orphan key back into its store and node key. */
export function parseOrphanKey(k: Uint8Array): { store: string; key: Uint8Array } {
  const zero = k.indexOf(0, 9);
  return { store: Buffer.from(k.subarray(9, zero)).toString("utf8"), key: k.subarray(zero + 1) };
}

export const versionKey = (v: number): Buffer => Buffer.concat([Uint8Array.of(VERSION), be64(v)]);
export const fastKey = (key: string): Buffer => Buffer.concat([Uint8Array.of(FAST), utf8.encode(key)]);
export const metaKey = (name: string): Buffer => Buffer.from("m" + name);
