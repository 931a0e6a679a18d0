import { MsgRemoveGuarantee, MsgRemoveGuaranteeResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { tokensForShares } from "../../../chain/share-pool.ts";
import { isRegistered } from "../bond.ts";
import { peernodeErrors } from "../errors.ts";
import { MAX_UNBONDING_ENTRIES } from "../keys.ts";
import { peernodeKeeper as k, poolOf } from "../keeper.ts";
import { bondAmount } from "./common.ts";

/** MsgRemoveGuarantee: part of a guarantee starts unbonding (the owner keeps at least min_bond while registered). */
export const removeGuarantee = msgRoute<MsgRemoveGuarantee>({
  typeUrl: "/aro.peernode.v1.MsgRemoveGuarantee",
  type: MsgRemoveGuarantee,
  signers: (m) => [m.backer],
  validate(m) {
    validateAddress(m.backer, "backer");
    if (!m.amount) throw sdkErrors.invalidCoins.wrap("amount is missing");
  },
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const n = k.mustNode(ctx.store, m.nodeId);
    if (n.owner === m.backer && isRegistered(n)) {
      const left = k.getGuarantee(ctx.store, n.id, n.owner);
      const ownTokens = left ? tokensForShares(poolOf(n), BigInt(left.shares)) : 0n;
      if (ownTokens - amount < BigInt(k.getParams(ctx.store).minBond)) {
        throw peernodeErrors.bondTooSmall.wrap("the owner's bond may not drop below the minimum while the node is registered; deregister it instead");
      }
    }
    const open = k.unbondingsOf(ctx.store, m.backer).filter((u) => u.nodeId === m.nodeId).length;
    if (open >= MAX_UNBONDING_ENTRIES) {
      throw peernodeErrors.tooManyUnbondings.wrap(`${m.backer} already has ${open} unbonding entries behind node ${m.nodeId} (at most ${MAX_UNBONDING_ENTRIES}); wait for one to complete`);
    }
    const done = k.removeGuarantee(ctx, m.nodeId, m.backer, amount);
    ctx.events.emit("remove_guarantee", { node_id: m.nodeId.toString(), backer: m.backer, amount: `${amount}${k.bondDenom(ctx.store)}`, completion_time: done.toString() });
    return reply("/aro.peernode.v1.MsgRemoveGuaranteeResponse", MsgRemoveGuaranteeResponse, { completionTime: done });
  },
});
