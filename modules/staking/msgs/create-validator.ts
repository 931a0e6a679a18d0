import { MsgCreateValidator, MsgCreateValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { BondStatus, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { validateValoperAddress, valoperToAccount } from "../../../chain/address.ts";
import { parseAmount } from "../../../chain/coins.ts";
import { decFromWire, DEC_ONE } from "../../../chain/dec.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { stakingErrors } from "../errors.ts";
import { consensusAddressHex, ED25519_PUBKEY_TYPE, stakingKeeper as k } from "../keeper.ts";
import { stakingHooks } from "../staking-hooks.ts";
import { bondAmount, positiveCoin, validateDescription, valoperToAccountSafe } from "./common.ts";

function validateCreateValidator(m: MsgCreateValidator): void {
  validateValoperAddress(m.validatorAddress);
  if (!m.pubkey) throw stakingErrors.emptyValidatorPubKey.wrap("");
  if (m.pubkey.typeUrl !== ED25519_PUBKEY_TYPE) throw stakingErrors.validatorPubKeyTypeNotSupported.wrap(`got ${m.pubkey.typeUrl}, expected ${ED25519_PUBKEY_TYPE}`);
  if (Ed25519PubKey.decode(m.pubkey.value).key.length !== 32) throw sdkErrors.invalidPubKey.wrap("ed25519 key must be 32 bytes");
  positiveCoin(m.value);
  const min = parseAmount(m.minSelfDelegation || "0", "min_self_delegation");
  if (min === 0n) throw sdkErrors.invalidRequest.wrap("minimum self delegation must be a positive integer");
  if (parseAmount(m.value.amount) < min) throw stakingErrors.selfDelegationBelowMinimum.wrap(`${m.value.amount} < ${min}`);
  const rate = decFromWire(m.commission.rate, "rate");
  const maxRate = decFromWire(m.commission.maxRate, "max_rate");
  const maxChange = decFromWire(m.commission.maxChangeRate, "max_change_rate");
  if (rate < 0n || maxRate < 0n || maxChange < 0n) throw stakingErrors.commissionNegative.wrap("");
  if (maxRate > DEC_ONE) throw stakingErrors.commissionHuge.wrap("");
  if (rate > maxRate) throw stakingErrors.commissionGTMaxRate.wrap("");
  if (maxChange > maxRate) throw stakingErrors.commissionChangeRateGTMaxRate.wrap("");
  validateDescription(m.description);
  if (!m.description.moniker) throw sdkErrors.invalidRequest.wrap("moniker is empty");
}

/** MsgCreateValidator: a new validator (unbonded until the end block picks it) and its operator's self-delegation. */
export const createValidator = msgRoute<MsgCreateValidator>({
  typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
  type: MsgCreateValidator,
  signers: (m) => [valoperToAccountSafe(m.validatorAddress)],
  validate: validateCreateValidator,
  handle(ctx, m) {
    const params = k.getParams(ctx.store);
    if (k.getValidator(ctx.store, m.validatorAddress)) throw stakingErrors.validatorOwnerExists.wrap(m.validatorAddress);
    const pubkey = Ed25519PubKey.decode(m.pubkey!.value).key;
    if (k.validatorByConsAddress(ctx.store, consensusAddressHex(pubkey))) throw stakingErrors.validatorPubKeyExists.wrap("");
    if (decFromWire(m.commission.rate) < decFromWire(params.minCommissionRate)) throw stakingErrors.commissionLTMinRate.wrap(`minimum is ${params.minCommissionRate}`);
    const amount = bondAmount(ctx, m.value);
    const validator: Validator = {
      operatorAddress: m.validatorAddress, consensusPubkey: m.pubkey, jailed: false, status: BondStatus.BOND_STATUS_UNBONDED,
      tokens: "0", delegatorShares: "0", description: m.description, unbondingHeight: 0n, unbondingTime: { seconds: 0n, nanos: 0 },
      commission: { commissionRates: m.commission, updateTime: { seconds: ctx.block.timeSeconds, nanos: 0 } },
      minSelfDelegation: m.minSelfDelegation, unbondingOnHoldRefCount: 0n, unbondingIds: [],
    };
    k.setValidator(ctx.store, validator);
    k.setConsIndex(ctx.store, validator);
    stakingHooks(ctx).afterValidatorCreated(ctx, m.validatorAddress);
    k.delegate(ctx, valoperToAccount(m.validatorAddress), m.validatorAddress, amount);
    ctx.events.emit("create_validator", { validator: m.validatorAddress, amount: `${amount}${params.bondDenom}` });
    return reply("/cosmos.staking.v1beta1.MsgCreateValidatorResponse", MsgCreateValidatorResponse, {});
  },
});
