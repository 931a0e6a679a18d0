/**
 * The hash-agnostic walks of RFC 6962 trees, given the node hash (sha256(0x01 | l | r)):
 * node:crypto's on the chain and the agents (rfc6962.ts), a pure-JS one in pages
 * (client/web/verify.ts). No Node built-ins here.
 */
export type NodeHash = (left: Uint8Array, right: Uint8Array) => Uint8Array;

/** The root over at least one leaf hash: pairs hashed bottom up, a lone last node carried up a level. */
export function rootOver(leaves: readonly Uint8Array[], nodeHash: NodeHash): Uint8Array {
  let level = leaves;
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
  }
  return level[0];
}

/**
 * The root that leaf hash `leaf` at `index` of `size` leaves and its audit path lead to
 * (RFC 9162 §2.1.3.2), or undefined if the path cannot be one of such a tree. Bounded:
 * at most `maxPath` hashes.
 */
export function rootFromPathWith(leaf: Uint8Array, index: bigint, size: bigint, path: readonly Uint8Array[], nodeHash: NodeHash, maxPath = 64): Uint8Array | undefined {
  if (index < 0n || index >= size || leaf.length !== 32 || path.length > maxPath) return undefined;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (p.length !== 32 || sn === 0n) return undefined;
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
  return sn === 0n ? r : undefined;
}
