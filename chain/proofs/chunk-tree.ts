import { createHash } from "node:crypto";

/**
 * Merkle tree over a content's chunk hashes, shaped as RFC 6962 (Certificate
 * Transparency): leaf = sha256(0x00 | chunk hash), node = sha256(0x01 | left | right),
 * split at the largest power of two below the size. The root (hex) is the content id
 * the chain and PeerDTS use.
 */
const h = (...parts: Uint8Array[]) => {
  const x = createHash("sha256");
  for (const p of parts) x.update(p);
  return new Uint8Array(x.digest());
};
const leafHash = (chunkHash: Uint8Array) => h(Uint8Array.of(0), chunkHash);
const nodeHash = (l: Uint8Array, r: Uint8Array) => h(Uint8Array.of(1), l, r);
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

export function chunkHash(chunk: Uint8Array): Uint8Array {
  return h(chunk);
}

export function chunkRoot(chunkHashes: readonly Uint8Array[]): Uint8Array {
  if (chunkHashes.length === 0) throw new Error("content has no chunks");
  if (chunkHashes.length === 1) return leafHash(chunkHashes[0]);
  const k = split(chunkHashes.length);
  return nodeHash(chunkRoot(chunkHashes.slice(0, k)), chunkRoot(chunkHashes.slice(k)));
}

/** Audit path for chunk `index`: sibling hashes from the leaf up. */
export function chunkBranch(chunkHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (chunkHashes.length <= 1) return [];
  const k = split(chunkHashes.length);
  return index < k
    ? [...chunkBranch(chunkHashes.slice(0, k), index), chunkRoot(chunkHashes.slice(k))]
    : [...chunkBranch(chunkHashes.slice(k), index - k), chunkRoot(chunkHashes.slice(0, k))];
}

/** Checks that `chunkHashValue` is chunk `index` of `size` chunks under `root` (RFC 6962 audit path check). */
export function verifyChunk(root: Uint8Array, size: bigint, index: bigint, chunkHashValue: Uint8Array, branch: readonly Uint8Array[]): boolean {
  if (index >= size || chunkHashValue.length !== 32) return false;
  let fn = index;
  let sn = size - 1n;
  let r = leafHash(chunkHashValue);
  for (const p of branch) {
    if (p.length !== 32 || sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && Buffer.compare(Buffer.from(r), Buffer.from(root)) === 0;
}
