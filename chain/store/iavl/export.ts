import { compareBytes, IavlNode } from "./node.ts";
import { childOf, type NodeSource } from "./tree.ts";

/** A node as a snapshot carries it (cosmos/iavl's ExportNode): enough to rebuild the exact tree. */
export interface ExportNode {
  readonly height: number;
  readonly version: number;
  readonly key: Uint8Array;
  /** Leaves only. */
  readonly value?: Uint8Array;
}

/** The tree's nodes in post-order (children before their parent), read one path at a time. */
export function* exportTree(src: NodeSource, root: IavlNode | undefined): Generator<ExportNode> {
  if (!root) return;
  const stack: Array<{ node: IavlNode; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.node.isLeaf || top.expanded) {
      stack.pop();
      const n = top.node;
      yield n.isLeaf ? { height: 0, version: n.version, key: n.key, value: n.value! } : { height: n.height, version: n.version, key: n.key };
      continue;
    }
    top.expanded = true;
    stack.push({ node: childOf(src, top.node, false), expanded: false });
    stack.push({ node: childOf(src, top.node, true), expanded: false });
  }
}

/**
 * Rebuilds a tree from its post-order export, hashing as it goes; each node is handed to
 * `persist` as soon as it is complete (which gives it its node key, so its parent can
 * refer to it), so memory holds one path, not the tree. Refuses a
 * stream that cannot be a well-formed tree: leaves out of order, an inner node whose
 * height or key (the smallest key of its right subtree, which its hash does not cover)
 * does not match its children. The app hash check at the end covers the rest.
 */
export class TreeImporter {
  /** Complete subtrees waiting for their parent, with each one's smallest key. */
  private readonly stack: Array<{ node: IavlNode; min: Uint8Array }> = [];
  private lastLeafKey?: Uint8Array;

  constructor(private readonly persist: (n: IavlNode) => void) {}

  add(e: ExportNode): void {
    let n: IavlNode;
    let min: Uint8Array;
    if (e.height === 0) {
      if (!e.value) throw new Error("snapshot: a leaf without a value");
      if (this.lastLeafKey && compareBytes(this.lastLeafKey, e.key) >= 0) throw new Error("snapshot: leaves out of order");
      this.lastLeafKey = e.key;
      n = IavlNode.leaf(e.key, e.value, e.version);
      min = e.key;
    } else {
      const right = this.stack.pop();
      const left = this.stack.pop();
      if (!left || !right) throw new Error("snapshot: an inner node without two children");
      if (e.height !== Math.max(left.node.height, right.node.height) + 1) throw new Error("snapshot: an inner node's height does not match its children");
      if (compareBytes(e.key, right.min) !== 0) throw new Error("snapshot: an inner node's key is not its right subtree's smallest");
      n = new IavlNode(e.key, undefined, e.height, left.node.size + right.node.size, e.version, left.node.hash, right.node.hash);
      n.leftKey = left.node.nodeKey;
      n.rightKey = right.node.nodeKey;
      min = left.min;
    }
    n.computeHash();
    n.persisted = true;
    // a well-formed export never holds more subtrees than a tree is high
    if (this.stack.length >= 128) throw new Error("snapshot: more than 128 pending subtrees (not a balanced tree's export)");
    this.persist(n);
    this.stack.push({ node: n, min });
  }

  /** The rebuilt root (undefined for an empty tree). */
  finish(): IavlNode | undefined {
    if (this.stack.length > 1) throw new Error(`snapshot: ${this.stack.length} subtrees left over (the export ended early)`);
    return this.stack.pop()?.node;
  }
}
