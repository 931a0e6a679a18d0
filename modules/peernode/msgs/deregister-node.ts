import { MsgDeregisterNode, MsgDeregisterNodeResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { NodeStatus } from "../../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { tokensForShares } from "../../../chain/share-pool.ts";
import { peernodeKeeper as k, poolOf } from "../keeper.ts";

/** Deregistration (ACTIVE or UNDERBONDED): the node leaves every index and each guarantee (at most max_backers + 1) starts unbonding. */
export const deregisterNode = msgRoute<MsgDeregisterNode>({
  typeUrl: "/aro.peernode.v1.MsgDeregisterNode",
  type: MsgDeregisterNode,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const n = k.mustRegistered(ctx.store, m.nodeId);
    k.requireOwner(n, m.owner);
    k.setNode(ctx.store, { ...n, status: NodeStatus.NODE_STATUS_DEREGISTERED });
    let done = ctx.block.timeSeconds + k.getParams(ctx.store).unbondingTime;
    for (const g of k.guaranteesOf(ctx.store, n.id)) {
      const now = k.mustNode(ctx.store, n.id);
      const tokens = tokensForShares(poolOf(now), BigInt(g.shares));
      if (tokens > 0n) done = k.removeGuarantee(ctx, n.id, g.backer, tokens);
      else k.setGuarantee(ctx.store, { ...g, shares: "0" });
    }
    ctx.events.emit("deregister_node", { node_id: n.id.toString(), owner: m.owner, completion_time: done.toString() });
    return reply("/aro.peernode.v1.MsgDeregisterNodeResponse", MsgDeregisterNodeResponse, { completionTime: done });
  },
});
