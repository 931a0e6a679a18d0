import { MsgDelegate, MsgDelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { stakingKeeper as k } from "../keeper.ts";
import { bondAmount, validateDelegationMsg } from "./common.ts";

/** MsgDelegate: coins from the delegator to the validator's pool, shares to the delegation. */
export const delegate = msgRoute<MsgDelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
  type: MsgDelegate,
  signers: (m) => [m.delegatorAddress],
  validate: validateDelegationMsg,
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const shares = k.delegate(ctx, m.delegatorAddress, m.validatorAddress, amount);
    ctx.events.emit("delegate", { validator: m.validatorAddress, delegator: m.delegatorAddress, amount: `${amount}${m.amount.denom}`, new_shares: shares.toString() });
    return reply("/cosmos.staking.v1beta1.MsgDelegateResponse", MsgDelegateResponse, {});
  },
});
