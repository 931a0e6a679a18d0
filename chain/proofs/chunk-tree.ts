import { auditPath, leafHash, rootFromPath, sameHash, treeRoot } from "./rfc6962.ts";

/**
 * Merkle tree over a content's chunk hashes, shaped as RFC 6962 (see rfc6962.ts):
 * leaf = sha256(0x00 | chunk hash). The root (hex) is the content id the chain and
 * PeerDTS use. A chunk hash is itself the RFC 6962 root over the chunk's segments
 * (segments.ts), so one segment's bytes with both branches reach the content root.
 */
export { chunkHash } from "./segments.ts";

export function chunkRoot(chunkHashes: readonly Uint8Array[]): Uint8Array {
  if (chunkHashes.length === 0) throw new Error("content has no chunks");
  return treeRoot(chunkHashes.map(leafHash));
}

/** Audit path for chunk `index`: sibling hashes from the leaf up. */
export function chunkBranch(chunkHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  return auditPath(chunkHashes.map(leafHash), index);
}

/** Checks that `chunkHashValue` is chunk `index` of `size` chunks under `root` (RFC 6962 audit path check). */
export function verifyChunk(root: Uint8Array, size: bigint, index: bigint, chunkHashValue: Uint8Array, branch: readonly Uint8Array[]): boolean {
  if (chunkHashValue.length !== 32) return false;
  const r = rootFromPath(leafHash(chunkHashValue), index, size, branch);
  return r !== undefined && sameHash(r, root);
}
