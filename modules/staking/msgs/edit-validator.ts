import { MsgEditValidator, MsgEditValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { validateValoperAddress } from "../../../chain/address.ts";
import { parseAmount } from "../../../chain/coins.ts";
import { decFromWire, DEC_ONE } from "../../../chain/dec.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { stakingErrors } from "../errors.ts";
import { stakingKeeper as k, tokensOf } from "../keeper.ts";
import { DESCRIPTION_LIMITS, validateDescription, valoperToAccountSafe } from "./common.ts";

const DO_NOT_MODIFY = "[do-not-modify]";
const ONE_DAY = 86_400n;

function validateEditValidator(m: MsgEditValidator): void {
  validateValoperAddress(m.validatorAddress);
  validateDescription(m.description);
  if (m.commissionRate) {
    const r = decFromWire(m.commissionRate, "commission_rate");
    if (r < 0n || r > DEC_ONE) throw stakingErrors.commissionHuge.wrap("commission rate must be between 0 and 1");
  }
  if (m.minSelfDelegation && parseAmount(m.minSelfDelegation) === 0n) throw sdkErrors.invalidRequest.wrap("minimum self delegation must be positive");
}

/** MsgEditValidator: description fields, the commission rate (at most once a day, within max change), a higher min self-delegation. */
export const editValidator = msgRoute<MsgEditValidator>({
  typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
  type: MsgEditValidator,
  signers: (m) => [valoperToAccountSafe(m.validatorAddress)],
  validate: validateEditValidator,
  handle(ctx, m) {
    const v = k.mustValidator(ctx.store, m.validatorAddress);
    const d = { ...v.description };
    for (const f of Object.keys(DESCRIPTION_LIMITS) as Array<keyof Description>) if (m.description[f] !== DO_NOT_MODIFY && m.description[f] !== "") d[f] = m.description[f];
    let commission = v.commission;
    if (m.commissionRate) {
      const rate = decFromWire(m.commissionRate);
      const cur = decFromWire(v.commission.commissionRates.rate);
      const rates = v.commission.commissionRates;
      if (ctx.block.timeSeconds - v.commission.updateTime.seconds < ONE_DAY) throw stakingErrors.commissionUpdateTime.wrap("");
      if (rate > decFromWire(rates.maxRate)) throw stakingErrors.commissionGTMaxRate.wrap("");
      if ((rate > cur ? rate - cur : cur - rate) > decFromWire(rates.maxChangeRate)) throw stakingErrors.commissionGTMaxChangeRate.wrap("");
      if (rate < decFromWire(k.getParams(ctx.store).minCommissionRate)) throw stakingErrors.commissionLTMinRate.wrap("");
      commission = { commissionRates: { ...rates, rate: m.commissionRate }, updateTime: { seconds: ctx.block.timeSeconds, nanos: 0 } };
    }
    let minSelf = v.minSelfDelegation;
    if (m.minSelfDelegation) {
      const next = parseAmount(m.minSelfDelegation);
      if (next <= BigInt(v.minSelfDelegation)) throw stakingErrors.minSelfDelegationDecreased.wrap("");
      if (next > tokensOf(v)) throw stakingErrors.selfDelegationBelowMinimum.wrap("");
      minSelf = m.minSelfDelegation;
    }
    k.setValidator(ctx.store, { ...v, description: d, commission, minSelfDelegation: minSelf });
    ctx.events.emit("edit_validator", { commission_rate: commission.commissionRates.rate, min_self_delegation: minSelf });
    return reply("/cosmos.staking.v1beta1.MsgEditValidatorResponse", MsgEditValidatorResponse, {});
  },
});
