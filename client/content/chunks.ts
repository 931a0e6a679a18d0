import { chunkBranch, chunkHash, chunkRoot } from "../../chain/proofs/chunk-tree.ts";
import type { ContentInfo } from "./manifest.ts";

/** Chunk size the chain's market uses by default (256 KiB). */
export const DEFAULT_CHUNK_SIZE = 262_144;

/**
 * A content held in memory, split into fixed-size chunks, with the root the chain knows it
 * by (RFC 6962 over chunk hashes; a chunk hash is the RFC 6962 root over the chunk's 4 KiB
 * segments). For small contents and tests: large ones stream (client/content/file-root.ts).
 */
export interface ChunkedContent extends ContentInfo {
  readonly chunkHashes: Uint8Array[];
}

export function chunkContent(data: Uint8Array, chunkSize = DEFAULT_CHUNK_SIZE): { content: ChunkedContent; chunks: Uint8Array[] } {
  if (data.length === 0) throw new Error("content is empty");
  if (chunkSize <= 0) throw new Error("chunk size must be positive");
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += chunkSize) chunks.push(data.subarray(off, Math.min(off + chunkSize, data.length)));
  const chunkHashes = chunks.map(chunkHash);
  return { content: { root: Buffer.from(chunkRoot(chunkHashes)).toString("hex"), size: data.length, chunkSize, chunkHashes }, chunks };
}

/** The audit path proving chunk `index` belongs to the content (what a storage proof carries). */
export function chunkProof(content: ChunkedContent, index: number): Uint8Array[] {
  return chunkBranch(content.chunkHashes, index);
}
