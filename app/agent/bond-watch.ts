import type { Logger } from "pino";
import { NodeStatus, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";

/** The node's standing as the agent reports it (`/status` field `bond`, and its log). */
export type BondState = "bonded" | "underbonded" | "deregistered" | "unknown";

export function bondState(n: Node | undefined): BondState {
  if (!n) return "unknown";
  if (n.status === NodeStatus.NODE_STATUS_ACTIVE) return "bonded";
  if (n.status === NodeStatus.NODE_STATUS_UNDERBONDED) return "underbonded";
  return "deregistered";
}

/**
 * Follows the node's status on chain, every `everyBlocks` blocks. A node whose guarantee
 * fell under min_bond (slashes, backing taken out) is given no replicas or jobs and paid
 * nothing until topped up: the operator is warned once, with the command that fixes it,
 * and told when the node is bonded again.
 */
export class BondWatch {
  private last = -1n;

  constructor(
    private node: Node,
    private readonly read: (id: bigint) => Promise<Node | undefined>,
    private readonly log: Logger,
    private readonly everyBlocks = 10n,
  ) {
    this.report(node, "unknown");
  }

  get state(): BondState {
    return bondState(this.node);
  }

  async tick(height: bigint): Promise<void> {
    if (this.last >= 0n && height - this.last < this.everyBlocks) return;
    this.last = height;
    const now = await this.read(this.node.id);
    if (!now) return;
    const before = this.state;
    this.node = now;
    if (bondState(now) !== before) this.report(now, before);
  }

  private report(n: Node, before: BondState): void {
    const at = { nodeId: n.id.toString(), guarantee: n.guaranteeTokens };
    if (bondState(n) === "underbonded") {
      this.log.warn(at, `the node's guarantee is below the chain's min_bond: it gets no new replicas or jobs and earns nothing until topped up (arod tx peernode add-guarantee ${n.id} AMOUNT)`);
    } else if (before === "underbonded" && bondState(n) === "bonded") {
      this.log.info(at, "the node's guarantee is back at min_bond: it is assigned work again");
    } else if (bondState(n) === "deregistered") {
      this.log.warn(at, "the node is deregistered on chain");
    }
  }
}
