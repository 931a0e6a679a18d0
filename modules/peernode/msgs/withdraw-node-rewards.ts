import { MsgWithdrawNodeRewards, MsgWithdrawNodeRewardsResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { formatCoins } from "../../../chain/coins.ts";
import { msgRoute } from "../../../chain/module.ts";
import { moduleAddress } from "../../../chain/module-accounts.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { peernodeErrors } from "../errors.ts";
import { REWARD_POOL } from "../keys.ts";
import { peernodeKeeper as k } from "../keeper.ts";
import { bankKeeper } from "../expected.ts";

/** MsgWithdrawNodeRewards: a backer's earned rewards, and the owner's commission, paid out. */
export const withdrawRewards = msgRoute<MsgWithdrawNodeRewards>({
  typeUrl: "/aro.peernode.v1.MsgWithdrawNodeRewards",
  type: MsgWithdrawNodeRewards,
  signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const n = k.mustNode(ctx.store, m.nodeId);
    const g = k.getGuarantee(ctx.store, n.id, m.address);
    if (!g && n.owner !== m.address) throw peernodeErrors.noGuarantee.wrap(`${m.address} behind node ${n.id}`);
    let total = g ? k.payGuaranteeRewards(ctx, n, g) : 0n;
    const commission = n.owner === m.address ? BigInt(n.ownerCommission || "0") : 0n;
    const denom = k.bondDenom(ctx.store);
    if (commission > 0n) {
      bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), m.address, [{ denom, amount: commission }]);
      k.setNode(ctx.store, { ...k.mustNode(ctx.store, n.id), ownerCommission: "0" });
      total += commission;
    }
    const amount = total > 0n ? [{ denom, amount: total }] : [];
    ctx.events.emit("withdraw_node_rewards", { node_id: n.id.toString(), address: m.address, amount: formatCoins(amount), commission: commission.toString() });
    return reply("/aro.peernode.v1.MsgWithdrawNodeRewardsResponse", MsgWithdrawNodeRewardsResponse, { amount: amount.map((a) => ({ denom: a.denom, amount: a.amount.toString() })) });
  },
});
