import { Receipt, type SumBranch } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { MsgSubmitClaim } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { leafNode, receiptLeafKey, SumTree, type Leaf } from "../../chain/proofs/sum-tree.ts";
import { payerLine } from "../../chain/delivery-grant.ts";

/**
 * A node's receipts for one epoch, folded into the sparse merkle sum tree the claim
 * commits to; answers the chain's proof requests (the leaf covering a byte offset).
 */
export class EpochClaim {
  readonly tree: SumTree;
  private readonly byKey = new Map<bigint, Receipt>();

  /** `leaves` lets a test place a receipt at a key of its choosing (to see the chain refuse it). */
  constructor(readonly receipts: readonly Receipt[], leaves?: ReadonlyArray<{ key: bigint; receipt: Receipt }>) {
    const placed = leaves ?? receipts.map((r) => ({ key: receiptLeafKey(r), receipt: r }));
    const treeLeaves: Leaf[] = placed.map(({ key, receipt }) => {
      this.byKey.set(key, receipt);
      return { key, node: leafNode(Receipt.encode(receipt).finish(), receipt.bytes) };
    });
    this.tree = new SumTree(treeLeaves);
  }

  get totalBytes(): bigint {
    return this.tree.root.sum;
  }

  /**
   * The claim message for `operator` and `nodeId`: per payer line (a client, or a
   * publisher's grant), the bytes of its receipts and its tally (the receipt with its
   * highest signed running total).
   */
  claim(operator: string, nodeId: bigint, epoch: bigint): MsgSubmitClaim {
    const totals = new Map<string, { bytes: bigint; tally: Receipt }>();
    for (const leaf of this.tree.leaves) {
      const r = this.byKey.get(leaf.key)!;
      const line = payerLine(r);
      const t = totals.get(line);
      totals.set(line, { bytes: (t?.bytes ?? 0n) + r.bytes, tally: !t || r.totalBytes > t.tally.totalBytes ? r : t.tally });
    }
    return {
      operator, nodeId, epoch, root: this.tree.root.hash, totalBytes: this.totalBytes, count: BigInt(this.tree.leaves.length),
      clientTotals: [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => ({ client: t.tally.client, bytes: t.bytes, tally: t.tally, held: "", grantBytes: 0n })),
    };
  }

  /** The receipt and branch that open the leaf covering `offset`. */
  proof(offset: bigint): { receipt: Receipt; branch: SumBranch } {
    const i = this.tree.leafAt(offset);
    const b = this.tree.branch(i);
    return { receipt: this.byKey.get(this.tree.leaves[i].key)!, branch: { siblings: b.siblings.map((s) => ({ hash: s.hash, sum: s.sum })), emptyBitmap: b.emptyBitmap } };
  }
}
