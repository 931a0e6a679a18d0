import { auditPath, leafHash, treeRoot } from "./rfc6962.ts";

/**
 * Chunks are hashed over fixed-size segments, so a storage proof can carry data: a chunk's
 * hash is the RFC 6962 root over its SEGMENT_SIZE segments (the chunk's last one may be
 * shorter), and one segment with its branch proves those bytes are in the chunk.
 * 4 KiB, not 1 KiB: a 256 KiB chunk is 64 leaves instead of 256 (hashing ~1.75x plain
 * sha256 instead of ~4x, see README), a proof still fits any tx, and 4 KiB is the page
 * a disk reads anyway. Market chunk sizes are multiples of it, so every segment of a
 * content is full except the content's final one.
 */
export const SEGMENT_SIZE = 4096;
/** The largest chunk the market allows (16 MiB: 4096 segments, a segment branch of 12 hashes). */
export const MAX_MARKET_CHUNK_SIZE = 16 * 1024 * 1024;

/** Length of chunk `index` of a content of `size` bytes cut in `chunkSize` chunks (0 past the end). */
export function chunkLength(size: bigint, chunkSize: bigint, index: bigint): bigint {
  const start = index * chunkSize;
  if (index < 0n || start >= size) return 0n;
  return size - start < chunkSize ? size - start : chunkSize;
}

/** Segments in a chunk of `length` bytes. */
export const segmentCount = (length: bigint): bigint => (length + BigInt(SEGMENT_SIZE) - 1n) / BigInt(SEGMENT_SIZE);

/** Length of segment `index` of a chunk of `length` bytes (0 past the end). */
export function segmentLength(length: bigint, index: bigint): bigint {
  const start = index * BigInt(SEGMENT_SIZE);
  if (index < 0n || start >= length) return 0n;
  return length - start < BigInt(SEGMENT_SIZE) ? length - start : BigInt(SEGMENT_SIZE);
}

/** Leaf hashes of a chunk's segments. */
export function segmentLeaves(chunk: Uint8Array): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < chunk.length; off += SEGMENT_SIZE) leaves.push(leafHash(chunk.subarray(off, off + SEGMENT_SIZE)));
  return leaves;
}

/** A chunk's hash: the RFC 6962 root over its segments (what manifests list and the content tree's leaves commit to). */
export function chunkHash(chunk: Uint8Array): Uint8Array {
  return treeRoot(segmentLeaves(chunk));
}

/** Segment `index` of a chunk and its audit path up to the chunk hash. */
export function segmentProof(chunk: Uint8Array, index: number): { segment: Uint8Array; branch: Uint8Array[] } {
  const leaves = segmentLeaves(chunk);
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new Error(`segment ${index} is outside 0..${leaves.length - 1}`);
  return { segment: chunk.subarray(index * SEGMENT_SIZE, (index + 1) * SEGMENT_SIZE), branch: auditPath(leaves, index) };
}
