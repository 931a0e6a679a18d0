import crypto, { createHash } from "node:crypto";
import { rootFromPathWith, rootOver } from "./tree-walk.ts";

/**
 * Merkle trees shaped as RFC 6962 (Certificate Transparency) / RFC 9162: leaf =
 * sha256(0x00 | data), node = sha256(0x01 | left | right), split at the largest power of
 * two below the size. Built bottom up (pairs hashed, a lone last node carried up a
 * level), which gives the same root and audit paths as the recursive definition.
 * Both the segments of a chunk and the chunks of a content are hashed this way.
 */
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** The most siblings a path can have: every tree here has fewer than 2^64 leaves. */
export const MAX_PATH = 64;

/**
 * One-shot sha256 (Node ≥ 20.12) over a reused scratch buffer: a Hash object per call
 * costs about as much as hashing 4 KiB (a Hash object per call is the fallback).
 */
const oneShot = typeof crypto.hash === "function" ? crypto.hash : undefined;
let scratch = Buffer.alloc(1 + 4096);

function prefixed(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const n = 1 + a.length + (b?.length ?? 0);
  if (!oneShot) {
    const h = createHash("sha256").update(prefix === 0 ? LEAF : NODE).update(a);
    return new Uint8Array(b ? h.update(b).digest() : h.digest());
  }
  if (scratch.length < n) scratch = Buffer.alloc(n);
  scratch[0] = prefix;
  scratch.set(a, 1);
  if (b) scratch.set(b, 1 + a.length);
  // a latin1 ("binary") string out, then bytes: about 3x cheaper than asking node:crypto for a Buffer
  const d = Buffer.from(oneShot("sha256", scratch.subarray(0, n), "binary"), "binary");
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

export const leafHash = (data: Uint8Array): Uint8Array => prefixed(0, data);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => prefixed(1, left, right);

/** The tree hash over leaf hashes (RFC 6962 MTH; sha256 of nothing for no leaves). */
export function treeRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(createHash("sha256").digest());
  return rootOver(leaves, nodeHash);
}

/** Audit path of leaf `index`: sibling hashes from the leaf up (RFC 6962 PATH). */
export function auditPath(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new Error(`leaf ${index} is outside 0..${leaves.length - 1}`);
  const path: Uint8Array[] = [];
  let level = leaves;
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    if (sibling < level.length) path.push(level[sibling]);
    const up: Uint8Array[] = [];
    for (let j = 0; j + 1 < level.length; j += 2) up.push(nodeHash(level[j], level[j + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
    i >>= 1;
  }
  return path;
}

/** How many siblings the audit path of leaf `index` in a tree of `size` leaves has (0 if outside the tree). */
export function pathLength(index: bigint, size: bigint): number {
  if (index < 0n || index >= size) return 0;
  let n = 0;
  for (let i = index, s = size; s > 1n; i >>= 1n, s = (s + 1n) >> 1n) if ((i & 1n) === 1n || i + 1n < s) n++;
  return n;
}

/**
 * The root that leaf hash `leaf` at `index` of `size` leaves and its audit path lead to
 * (RFC 9162 §2.1.3.2), or undefined if the path cannot be one of such a tree. Bounded:
 * at most MAX_PATH hashes.
 */
export function rootFromPath(leaf: Uint8Array, index: bigint, size: bigint, path: readonly Uint8Array[]): Uint8Array | undefined {
  return rootFromPathWith(leaf, index, size, path, nodeHash, MAX_PATH);
}

export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}
