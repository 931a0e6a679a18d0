import { MsgUndelegate, MsgUndelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { undelegate as startUnbonding } from "../unbonding.ts";
import { bondAmount, validateDelegationMsg } from "./common.ts";

/** MsgUndelegate: shares become an unbonding entry, paid out when the unbonding time has passed. */
export const undelegate = msgRoute<MsgUndelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
  type: MsgUndelegate,
  signers: (m) => [m.delegatorAddress],
  validate: validateDelegationMsg,
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const done = startUnbonding(ctx, m.delegatorAddress, m.validatorAddress, amount);
    return reply("/cosmos.staking.v1beta1.MsgUndelegateResponse", MsgUndelegateResponse, { completionTime: { seconds: done, nanos: 0 }, amount: m.amount });
  },
});
