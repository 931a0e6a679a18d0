import { HashOp, LengthOp, type ExistenceProof, type InnerOp, type LeafOp, type NonExistenceProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { compareBytes, type IavlNode, Writer } from "./node.ts";
import { childOf, type NodeSource } from "./tree.ts";

/**
 * ICS23 proofs of an IAVL+ tree, checked by `iavlSpec` (as cosmos/iavl's
 * proof_ics23.go builds them): a leaf op carrying the leaf's height, size and version,
 * then one inner op per level up to the root, the sibling's hash in the prefix (when
 * the path goes right) or in the suffix (when it goes left).
 */
export function iavlLeafOp(version: number): LeafOp {
  return { hash: HashOp.SHA256, prehashKey: HashOp.NO_HASH, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO, prefix: new Writer().zz(0).zz(1).zz(version).finish() };
}

function hashOf(src: NodeSource, n: IavlNode, left: boolean): Uint8Array {
  return (left ? n.leftHash : n.rightHash) ?? childOf(src, n, left).hash!;
}

/** The proof that `key` holds its value in the tree, or undefined if the key is absent. */
export function existenceProof(src: NodeSource, root: IavlNode | undefined, key: Uint8Array): ExistenceProof | undefined {
  const path: Array<{ node: IavlNode; left: boolean }> = [];
  let n = root;
  while (n && !n.isLeaf) {
    const left = compareBytes(key, n.key) < 0;
    path.push({ node: n, left });
    n = childOf(src, n, left);
  }
  if (!n || compareBytes(n.key, key) !== 0) return undefined;
  const ops: InnerOp[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, left } = path[i];
    const w = new Writer().zz(node.height).zz(node.size).zz(node.version);
    if (left) ops.push({ hash: HashOp.SHA256, prefix: w.uvarint(32).finish(), suffix: new Writer().bytes(hashOf(src, node, false)).finish() });
    else ops.push({ hash: HashOp.SHA256, prefix: w.bytes(hashOf(src, node, true)).uvarint(32).finish(), suffix: new Uint8Array() });
  }
  return { key: n.key, value: n.value!, leaf: iavlLeafOp(n.version), path: ops };
}

/** The outermost leaf of a subtree (leftmost when `left`). */
function edge(src: NodeSource, n: IavlNode, left: boolean): IavlNode {
  while (!n.isLeaf) n = childOf(src, n, left);
  return n;
}

/** The leaf with the largest key below `key` (`below`), or the smallest above it. */
function neighbour(src: NodeSource, root: IavlNode | undefined, key: Uint8Array, below: boolean): IavlNode | undefined {
  let n = root;
  let fallback: IavlNode | undefined;
  while (n && !n.isLeaf) {
    const goLeft = compareBytes(key, n.key) < 0 || (below && compareBytes(key, n.key) === 0);
    // going right, the left subtree holds keys below; going left, the right subtree holds keys above
    if (below && !goLeft) fallback = childOf(src, n, true);
    if (!below && goLeft) fallback = childOf(src, n, false);
    n = childOf(src, n, goLeft);
  }
  if (n && (below ? compareBytes(n.key, key) < 0 : compareBytes(n.key, key) > 0)) return n;
  return fallback && edge(src, fallback, !below);
}

/** The proof that `key` (known to be absent: existenceProof found nothing) is absent: its neighbours' existence on either side (none at an end). */
export function nonExistenceProof(src: NodeSource, root: IavlNode | undefined, key: Uint8Array): NonExistenceProof {
  const l = neighbour(src, root, key, true);
  const r = neighbour(src, root, key, false);
  return { key, left: l && existenceProof(src, root, l.key), right: r && existenceProof(src, root, r.key) };
}
