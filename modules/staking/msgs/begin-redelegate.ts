import { MsgBeginRedelegate, MsgBeginRedelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { validateAddress, validateValoperAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { redelegate } from "../unbonding.ts";
import { bondAmount, positiveCoin } from "./common.ts";

function validateBeginRedelegate(m: MsgBeginRedelegate): void {
  validateAddress(m.delegatorAddress, "delegator address");
  validateValoperAddress(m.validatorSrcAddress, "source validator address");
  validateValoperAddress(m.validatorDstAddress, "destination validator address");
  positiveCoin(m.amount);
}

/** MsgBeginRedelegate: moves a delegation to another validator at once; the entry matures with the unbonding time. */
export const beginRedelegate = msgRoute<MsgBeginRedelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
  type: MsgBeginRedelegate,
  signers: (m) => [m.delegatorAddress],
  validate: validateBeginRedelegate,
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const done = redelegate(ctx, m.delegatorAddress, m.validatorSrcAddress, m.validatorDstAddress, amount);
    return reply("/cosmos.staking.v1beta1.MsgBeginRedelegateResponse", MsgBeginRedelegateResponse, { completionTime: { seconds: done, nanos: 0 } });
  },
});
