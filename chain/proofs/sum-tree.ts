import { createHash } from "node:crypto";
import { payerLine, type GrantTerms } from "../delivery-grant.ts";

/**
 * Sparse merkle sum tree of depth 64 (delivery receipts). A leaf sits at the 64-bit key
 * of its receipt, so one (client, nonce) can occupy one leaf only; every node carries
 * the byte sum below it, so the root commits to the total, and a byte offset picks the
 * leaf covering it (bigger deliveries are proportionally likelier to be opened).
 */
export const DEPTH = 64;
export const EMPTY_HASH = new Uint8Array(32);

export interface SumNode {
  readonly hash: Uint8Array;
  readonly sum: bigint;
}
export const EMPTY: SumNode = { hash: EMPTY_HASH, sum: 0n };

const isEmpty = (n: SumNode) => n.sum === 0n && n.hash.every((b) => b === 0);
const u64 = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};

export function leafNode(leafData: Uint8Array, sum: bigint): SumNode {
  return { hash: new Uint8Array(createHash("sha256").update(Uint8Array.of(0)).update(leafData).digest()), sum };
}

export function parent(left: SumNode, right: SumNode): SumNode {
  if (isEmpty(left) && isEmpty(right)) return EMPTY;
  const sum = left.sum + right.sum;
  if (sum >= 1n << 64n) throw new Error("sum tree total overflows 64 bits");
  const h = createHash("sha256").update(Uint8Array.of(1)).update(left.hash).update(u64(left.sum)).update(right.hash).update(u64(right.sum));
  return { hash: new Uint8Array(h.digest()), sum };
}

/** The 64-bit key of a receipt: first 8 bytes of sha256(client ":" nonce). */
export function receiptKey(client: string, nonce: bigint): bigint {
  const h = createHash("sha256").update(`${client}:${nonce}`).digest();
  return h.readBigUInt64BE(0);
}

/** Where a receipt sits in its node's tree: the key of its payer line (chain/delivery-grant.ts payerLine) and nonce. */
export function receiptLeafKey(r: { readonly client: string; readonly grant?: GrantTerms; readonly nonce: bigint }): bigint {
  return receiptKey(payerLine(r), r.nonce);
}

export interface Leaf {
  readonly key: bigint;
  readonly node: SumNode;
}

/** A branch: non-empty siblings from the leaf up, and which levels (bit i = level above the leaf i) are empty. */
export interface Branch {
  readonly siblings: SumNode[];
  readonly emptyBitmap: Uint8Array;
}

/** Builds the tree over leaves (any order, distinct keys). */
export class SumTree {
  readonly leaves: Leaf[];
  readonly root: SumNode;

  constructor(leaves: readonly Leaf[]) {
    this.leaves = [...leaves].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 1; i < this.leaves.length; i++) if (this.leaves[i].key === this.leaves[i - 1].key) throw new Error(`two leaves share key ${this.leaves[i].key}`);
    this.root = this.build(0, 0, this.leaves.length);
  }

  /** Subtree at `level` (0 = root) over leaves[from, to), which all share the path above. */
  private build(level: number, from: number, to: number): SumNode {
    if (from === to) return EMPTY;
    if (level === DEPTH) return this.leaves[from].node;
    const bit = 1n << BigInt(DEPTH - 1 - level);
    let mid = from;
    while (mid < to && (this.leaves[mid].key & bit) === 0n) mid++;
    return parent(this.build(level + 1, from, mid), this.build(level + 1, mid, to));
  }

  /** Index of the leaf whose byte range [start, start + sum) covers `offset`. */
  leafAt(offset: bigint): number {
    let start = 0n;
    for (let i = 0; i < this.leaves.length; i++) {
      if (offset < start + this.leaves[i].node.sum) return i;
      start += this.leaves[i].node.sum;
    }
    throw new Error(`offset ${offset} is past the total ${start}`);
  }

  branch(index: number): Branch {
    const key = this.leaves[index].key;
    const siblings: SumNode[] = [];
    const bitmap = new Uint8Array(DEPTH / 8);
    // walk down collecting siblings root-first, then reverse to leaf-first
    const down: SumNode[] = [];
    let from = 0;
    let to = this.leaves.length;
    for (let level = 0; level < DEPTH; level++) {
      const bit = 1n << BigInt(DEPTH - 1 - level);
      let mid = from;
      while (mid < to && (this.leaves[mid].key & bit) === 0n) mid++;
      if ((key & bit) === 0n) {
        down.push(this.build(level + 1, mid, to));
        to = mid;
      } else {
        down.push(this.build(level + 1, from, mid));
        from = mid;
      }
    }
    down.reverse().forEach((s, i) => {
      if (isEmpty(s)) bitmap[i >> 3] |= 1 << (i & 7);
      else siblings.push(s);
    });
    return { siblings, emptyBitmap: bitmap };
  }
}

/**
 * Recomputes the root from a leaf and its branch. Returns the root and where the
 * leaf's bytes start (the sum of everything to its left), or undefined if malformed.
 */
export function rootFromBranch(key: bigint, leaf: SumNode, branch: Branch): { root: SumNode; start: bigint } | undefined {
  if (branch.emptyBitmap.length !== DEPTH / 8) return undefined;
  let node = leaf;
  let start = 0n;
  let next = 0;
  for (let i = 0; i < DEPTH; i++) {
    const empty = (branch.emptyBitmap[i >> 3] & (1 << (i & 7))) !== 0;
    let sibling = EMPTY;
    if (!empty) {
      if (next >= branch.siblings.length) return undefined;
      sibling = branch.siblings[next++];
      if (sibling.hash.length !== 32) return undefined;
    }
    if ((key >> BigInt(i)) & 1n) {
      start += sibling.sum;
      node = parent(sibling, node);
    } else {
      node = parent(node, sibling);
    }
  }
  if (next !== branch.siblings.length) return undefined;
  return { root: node, start };
}
