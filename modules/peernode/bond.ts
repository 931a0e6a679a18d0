import { NodeStatus, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";

/**
 * A node's standing with respect to its guarantee. ACTIVE: bonded, in the assignment
 * indexes, paid. UNDERBONDED: still registered (it finishes what it was given, can be
 * topped up or deregistered) but its guarantee is under `min_bond`, so it is drawn for
 * nothing and earns nothing. DEREGISTERED: gone.
 */

const tokens = (n: Node) => (n.guaranteeTokens ? BigInt(n.guaranteeTokens) : 0n);

/** ACTIVE or UNDERBONDED: the node exists for its owner and operator. */
export const isRegistered = (n: Node): boolean => n.status === NodeStatus.NODE_STATUS_ACTIVE || n.status === NodeStatus.NODE_STATUS_UNDERBONDED;

/** Its guarantee covers `minBond` and it is ACTIVE: may be assigned work and paid for it. */
export const coversBond = (n: Node, minBond: bigint): boolean => n.status === NodeStatus.NODE_STATUS_ACTIVE && tokens(n) >= minBond;

/** The status a registered node has after its guarantee changed; others keep theirs. */
export function statusForGuarantee(n: Node, minBond: bigint): NodeStatus {
  if (!isRegistered(n)) return n.status;
  return tokens(n) >= minBond ? NodeStatus.NODE_STATUS_ACTIVE : NodeStatus.NODE_STATUS_UNDERBONDED;
}
