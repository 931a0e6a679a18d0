import { compareBytes, EMPTY_ROOT, iavlNodeKey, IavlNode } from "./node.ts";

/** Where a tree finds a persisted node by its node key (a bounded cache over the database); its hash comes with the reference. */
export interface NodeSource {
  load(nodeKey: Uint8Array, hash: Uint8Array): IavlNode;
}

/** A node's child: the working tree's object, else the persisted node by node key. */
export function childOf(src: NodeSource, n: IavlNode, left: boolean): IavlNode {
  const c = left ? n.left : n.right;
  if (c) return c;
  const k = left ? n.leftKey : n.rightKey;
  const h = left ? n.leftHash : n.rightHash;
  if (!k || !h) throw new Error("IAVL inner node without a child");
  return src.load(k, h);
}

/** The value under key in the tree rooted at `root`, if any. */
export function getIn(src: NodeSource, root: IavlNode | undefined, key: Uint8Array): Uint8Array | undefined {
  let n = root;
  while (n && !n.isLeaf) n = childOf(src, n, compareBytes(key, n.key) < 0);
  return n && compareBytes(n.key, key) === 0 ? n.value : undefined;
}

/**
 * Leaves with start <= key < end (end undefined: no bound), in key order, at most `limit`.
 * Only the subtrees that can hold such keys are read.
 */
export function rangeIn(src: NodeSource, root: IavlNode | undefined, start: Uint8Array, end: Uint8Array | undefined, limit = Infinity): IavlNode[] {
  const out: IavlNode[] = [];
  const visit = (n: IavlNode): boolean => {
    if (n.isLeaf) {
      if (compareBytes(n.key, start) >= 0 && (end === undefined || compareBytes(n.key, end) < 0)) out.push(n);
      return out.length < limit;
    }
    // left subtree keys < n.key <= right subtree keys
    if (compareBytes(start, n.key) < 0 && !visit(childOf(src, n, true))) return false;
    if (end === undefined || compareBytes(n.key, end) < 0) return visit(childOf(src, n, false));
    return true;
  };
  if (root && limit > 0) visit(root);
  return out;
}

/**
 * The working version of one IAVL+ tree (cosmos/iavl's MutableTree): sets and removes
 * copy the persisted nodes on their path (recording them as orphans of this version)
 * and rebalance as an AVL tree, so every version is an immutable tree sharing the
 * nodes it did not change with the versions before it.
 */
export class MutableTree {
  /** Persisted nodes no longer in the working tree: the previous version was their last. */
  orphans: IavlNode[] = [];

  constructor(
    private readonly src: NodeSource,
    public root: IavlNode | undefined,
    /** The version new nodes get (the height being built). */
    public version: number,
  ) {}

  get size(): number {
    return this.root?.size ?? 0;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return getIn(this.src, this.root, key);
  }

  /** Sets key to value; true if it replaced a value. */
  set(key: Uint8Array, value: Uint8Array): boolean {
    if (!this.root) {
      this.root = IavlNode.leaf(key, value, this.version);
      return false;
    }
    const [root, updated] = this.setIn(this.root, key, value);
    this.root = root;
    return updated;
  }

  /** Removes key; true if it was there. */
  remove(key: Uint8Array): boolean {
    if (!this.root) return false;
    const r = this.removeIn(this.root, key);
    if (!r.found) return false;
    this.root = r.node;
    return true;
  }

  /** The root hash, hashing the nodes changed since the last one. */
  hash(): Uint8Array {
    if (!this.root) return EMPTY_ROOT;
    const visit = (n: IavlNode): void => {
      if (n.hash) return;
      if (n.left) visit(n.left);
      if (n.right) visit(n.right);
      n.computeHash();
    };
    visit(this.root);
    return this.root.hash!;
  }

  /** The nodes this version created (children first), hashed, each given its node key: (version, its place in this list). */
  newNodes(): IavlNode[] {
    this.hash();
    const out: IavlNode[] = [];
    const visit = (n: IavlNode | undefined): void => {
      if (!n || n.persisted) return;
      visit(n.left);
      visit(n.right);
      out.push(n);
      n.nodeKey = iavlNodeKey(this.version, out.length);
    };
    visit(this.root);
    return out;
  }

  /** After the new nodes are on disk: they refer to their children by hash and node key only, and the next version starts. */
  markPersisted(nodes: readonly IavlNode[], nextVersion: number): void {
    for (const n of nodes) {
      if (!n.isLeaf) {
        n.leftHash = n.left?.hash ?? n.leftHash;
        n.rightHash = n.right?.hash ?? n.rightHash;
        n.leftKey = n.left?.nodeKey ?? n.leftKey;
        n.rightKey = n.right?.nodeKey ?? n.rightKey;
      }
      n.left = n.right = undefined;
      n.persisted = true;
    }
    this.orphans = [];
    this.version = nextVersion;
  }

  private child(n: IavlNode, left: boolean): IavlNode {
    return childOf(this.src, n, left);
  }

  /** A node that may be changed in place: persisted nodes are copied (and orphaned). */
  private writable(n: IavlNode): IavlNode {
    if (n.persisted) {
      this.orphans.push(n);
      return n.copy(this.version);
    }
    n.hash = undefined;
    return n;
  }

  private orphan(n: IavlNode): void {
    if (n.persisted) this.orphans.push(n);
  }

  private setLeft(n: IavlNode, c: IavlNode): void {
    n.left = c;
    n.leftHash = n.leftKey = undefined;
  }

  private setRight(n: IavlNode, c: IavlNode): void {
    n.right = c;
    n.rightHash = n.rightKey = undefined;
  }

  private inner(key: Uint8Array, left: IavlNode, right: IavlNode): IavlNode {
    const n = new IavlNode(key, undefined, 1, 2, this.version);
    n.left = left;
    n.right = right;
    return n;
  }

  private setIn(n: IavlNode, key: Uint8Array, value: Uint8Array): [IavlNode, boolean] {
    if (n.isLeaf) {
      const c = compareBytes(key, n.key);
      const leaf = IavlNode.leaf(key, value, this.version);
      if (c === 0) {
        this.orphan(n);
        return [leaf, true];
      }
      return [c < 0 ? this.inner(n.key, leaf, n) : this.inner(key, n, leaf), false];
    }
    const w = this.writable(n);
    let updated: boolean;
    if (compareBytes(key, w.key) < 0) {
      const [c, u] = this.setIn(this.child(w, true), key, value);
      this.setLeft(w, c);
      updated = u;
    } else {
      const [c, u] = this.setIn(this.child(w, false), key, value);
      this.setRight(w, c);
      updated = u;
    }
    if (updated) return [w, true];
    this.recalc(w);
    return [this.balance(w), false];
  }

  private removeIn(n: IavlNode, key: Uint8Array): { found: boolean; node?: IavlNode; newKey?: Uint8Array } {
    if (n.isLeaf) {
      if (compareBytes(key, n.key) !== 0) return { found: false };
      this.orphan(n);
      return { found: true };
    }
    if (compareBytes(key, n.key) < 0) {
      const r = this.removeIn(this.child(n, true), key);
      if (!r.found) return r;
      if (!r.node) {
        // the left leaf went: the right subtree takes this node's place, its smallest key is n.key
        const right = this.child(n, false);
        this.orphan(n);
        return { found: true, node: right, newKey: n.key };
      }
      const w = this.writable(n);
      this.setLeft(w, r.node);
      this.recalc(w);
      return { found: true, node: this.balance(w), newKey: r.newKey };
    }
    const r = this.removeIn(this.child(n, false), key);
    if (!r.found) return r;
    if (!r.node) {
      const left = this.child(n, true);
      this.orphan(n);
      return { found: true, node: left };
    }
    const w = this.writable(n);
    this.setRight(w, r.node);
    if (r.newKey) w.key = r.newKey;
    this.recalc(w);
    return { found: true, node: this.balance(w) };
  }

  private recalc(n: IavlNode): void {
    const l = this.child(n, true);
    const r = this.child(n, false);
    n.height = Math.max(l.height, r.height) + 1;
    n.size = l.size + r.size;
  }

  private balanceOf(n: IavlNode): number {
    return n.isLeaf ? 0 : this.child(n, true).height - this.child(n, false).height;
  }

  private balance(n: IavlNode): IavlNode {
    const b = this.balanceOf(n);
    if (b > 1) {
      if (this.balanceOf(this.child(n, true)) < 0) this.setLeft(n, this.rotateLeft(this.writable(this.child(n, true))));
      return this.rotateRight(n);
    }
    if (b < -1) {
      if (this.balanceOf(this.child(n, false)) > 0) this.setRight(n, this.rotateRight(this.writable(this.child(n, false))));
      return this.rotateLeft(n);
    }
    return n;
  }

  private rotateRight(n: IavlNode): IavlNode {
    const l = this.writable(this.child(n, true));
    this.setLeft(n, this.child(l, false));
    this.recalc(n);
    this.setRight(l, n);
    this.recalc(l);
    return l;
  }

  private rotateLeft(n: IavlNode): IavlNode {
    const r = this.writable(this.child(n, false));
    this.setRight(n, this.child(r, true));
    this.recalc(n);
    this.setLeft(r, n);
    this.recalc(r);
    return r;
  }
}
