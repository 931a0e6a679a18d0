import { verifyChunk } from "./chunk-tree.ts";
import { leafHash, MAX_PATH, pathLength, rootFromPath } from "./rfc6962.ts";
import { chunkLength, MAX_MARKET_CHUNK_SIZE, SEGMENT_SIZE, segmentCount, segmentLength } from "./segments.ts";

/** A content as the chain knows it: its root and how it is cut. */
export interface ContentShape {
  root: Uint8Array;
  size: bigint;
  chunkSize: bigint;
}

/** One segment of a content with the two branches that place it: in its chunk, and the chunk in the content. */
export interface SegmentProof {
  chunkIndex: bigint;
  segmentIndex: bigint;
  segment: Uint8Array;
  /** siblings from the segment up to the chunk hash */
  segmentBranch: readonly Uint8Array[];
  /** siblings from the chunk hash up to the content root */
  chunkBranch: readonly Uint8Array[];
}

/** The most siblings a segment branch can have (a chunk of 16 MiB, the largest the market allows). */
export const MAX_SEGMENT_PATH = pathLength(0n, segmentCount(BigInt(MAX_MARKET_CHUNK_SIZE)));

/** Checks that need no state: sizes bounded before anything is hashed. Returns why the proof is malformed, if it is. */
export function storageProofShapeFailure(p: Pick<SegmentProof, "segment" | "segmentBranch" | "chunkBranch">): string | undefined {
  if (p.segment.length === 0 || p.segment.length > SEGMENT_SIZE) return `segment must be 1..${SEGMENT_SIZE} bytes, got ${p.segment.length}`;
  if (p.segmentBranch.length > MAX_SEGMENT_PATH) return `segment branch has ${p.segmentBranch.length} hashes, at most ${MAX_SEGMENT_PATH}`;
  if (p.chunkBranch.length > MAX_PATH) return `chunk branch has ${p.chunkBranch.length} hashes, at most ${MAX_PATH}`;
  if ([...p.segmentBranch, ...p.chunkBranch].some((h) => h.length !== 32)) return "every branch hash must be 32 bytes";
  return undefined;
}

/**
 * Why `p` does not prove that its segment's bytes sit at (chunk, segment) of the content,
 * or undefined when it does: the segment has exactly the length that position has, its
 * branch leads to a chunk hash, and that chunk hash's branch leads to the content root.
 * Positions are bound: both paths are checked against their index and tree size.
 */
export function storageProofFailure(c: ContentShape, p: SegmentProof): string | undefined {
  const shape = storageProofShapeFailure(p);
  if (shape) return shape;
  if (c.size <= 0n || c.chunkSize <= 0n) return "the content has no chunks";
  const chunks = (c.size + c.chunkSize - 1n) / c.chunkSize;
  if (p.chunkIndex >= chunks) return `chunk ${p.chunkIndex} is outside 0..${chunks - 1n}`;
  const length = chunkLength(c.size, c.chunkSize, p.chunkIndex);
  const segments = segmentCount(length);
  if (p.segmentIndex >= segments) return `segment ${p.segmentIndex} is outside 0..${segments - 1n} of chunk ${p.chunkIndex}`;
  const want = segmentLength(length, p.segmentIndex);
  if (BigInt(p.segment.length) !== want) return `segment ${p.segmentIndex} of chunk ${p.chunkIndex} is ${want} bytes, got ${p.segment.length}`;
  const segPath = pathLength(p.segmentIndex, segments);
  if (p.segmentBranch.length !== segPath) return `segment branch must have ${segPath} hashes, got ${p.segmentBranch.length}`;
  const chunkPath = pathLength(p.chunkIndex, chunks);
  if (p.chunkBranch.length !== chunkPath) return `chunk branch must have ${chunkPath} hashes, got ${p.chunkBranch.length}`;
  const chunkHash = rootFromPath(leafHash(p.segment), p.segmentIndex, segments, p.segmentBranch);
  if (!chunkHash || !verifyChunk(c.root, chunks, p.chunkIndex, chunkHash, p.chunkBranch)) {
    return `segment ${p.segmentIndex} of chunk ${p.chunkIndex} and its branches do not lead to the content root`;
  }
  return undefined;
}
