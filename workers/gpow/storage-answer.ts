import { segmentProof } from "../../chain/proofs/segments.ts";


/**
 * The answer to a storage challenge on (chunkIndex, segmentIndex): the segment's bytes, its
 * branch up to the chunk hash and the chunk's branch up to the content root. `chunk` is the
 * chunk's data (read from the blockstore, verified): the answer cannot be made without it;
 * `chunkBranch` its audit path (from the store's chunk tree).
 */
export function storageAnswer(chunk: Uint8Array, chunkBranch: Uint8Array[], segmentIndex: number): { segment: Uint8Array; segmentBranch: Uint8Array[]; branch: Uint8Array[] } {
  const { segment, branch: segmentBranch } = segmentProof(chunk, segmentIndex);
  return { segment, segmentBranch, branch: chunkBranch };
}
