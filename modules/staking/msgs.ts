import {
  MsgBeginRedelegate, MsgBeginRedelegateResponse, MsgCreateValidator, MsgCreateValidatorResponse, MsgDelegate,
  MsgDelegateResponse, MsgEditValidator, MsgEditValidatorResponse, MsgUndelegate, MsgUndelegateResponse, MsgUpdateParams,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { validateStakingParams } from "./params.ts";
import { BondStatus, type Description, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { validateAddress, validateValoperAddress, valoperToAccount } from "../../chain/address.ts";
import { parseAmount } from "../../chain/coins.ts";
import { decFromWire, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { stakingErrors } from "./errors.ts";
import { consensusAddressHex, ED25519_PUBKEY_TYPE, stakingKeeper as k, tokensOf } from "./keeper.ts";
import { stakingHooks } from "./staking-hooks.ts";
import { redelegate, undelegate } from "./unbonding.ts";

const DO_NOT_MODIFY = "[do-not-modify]";
const LIMITS: Record<keyof Description, number> = { moniker: 70, identity: 3000, website: 140, securityContact: 140, details: 280 };
const ONE_DAY = 86_400n;

function validateDescription(d: Description): void {
  for (const [field, max] of Object.entries(LIMITS) as Array<[keyof Description, number]>) {
    if ((d[field] ?? "").length > max) throw sdkErrors.invalidRequest.wrap(`invalid ${field} length; got: ${d[field].length}, max: ${max}`);
  }
}

/** A positive amount in the bond denom. */
function bondAmount(ctx: Context, coin: Coin | undefined): bigint {
  if (!coin) throw sdkErrors.invalidCoins.wrap("amount is missing");
  const denom = k.getParams(ctx.store).bondDenom;
  if (coin.denom !== denom) throw stakingErrors.badDenom.wrap(`got ${coin.denom}, expected ${denom}`);
  return parseAmount(coin.amount);
}

function positiveCoin(coin: Coin | undefined): void {
  if (!coin) throw sdkErrors.invalidCoins.wrap("amount is missing");
  if (parseAmount(coin.amount) === 0n) throw sdkErrors.invalidCoins.wrap("amount must be positive");
}

const createValidator = msgRoute<MsgCreateValidator>({
  typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
  type: MsgCreateValidator,
  signers: (m) => [valoperToAccountSafe(m.validatorAddress)],
  validate(m) {
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
  },
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
    return { typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidatorResponse", value: MsgCreateValidatorResponse.encode({}).finish() };
  },
});

function valoperToAccountSafe(valoper: string): string {
  validateValoperAddress(valoper);
  return valoperToAccount(valoper);
}

const editValidator = msgRoute<MsgEditValidator>({
  typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
  type: MsgEditValidator,
  signers: (m) => [valoperToAccountSafe(m.validatorAddress)],
  validate(m) {
    validateValoperAddress(m.validatorAddress);
    validateDescription(m.description);
    if (m.commissionRate) {
      const r = decFromWire(m.commissionRate, "commission_rate");
      if (r < 0n || r > DEC_ONE) throw stakingErrors.commissionHuge.wrap("commission rate must be between 0 and 1");
    }
    if (m.minSelfDelegation && parseAmount(m.minSelfDelegation) === 0n) throw sdkErrors.invalidRequest.wrap("minimum self delegation must be positive");
  },
  handle(ctx, m) {
    const v = k.mustValidator(ctx.store, m.validatorAddress);
    const d = { ...v.description };
    for (const f of Object.keys(LIMITS) as Array<keyof Description>) if (m.description[f] !== DO_NOT_MODIFY && m.description[f] !== "") d[f] = m.description[f];
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
    return { typeUrl: "/cosmos.staking.v1beta1.MsgEditValidatorResponse", value: MsgEditValidatorResponse.encode({}).finish() };
  },
});

/** MsgDelegate and MsgUndelegate: a delegator, a validator and a positive amount. */
function validateDelegationMsg(m: { delegatorAddress: string; validatorAddress: string; amount?: Coin }): void {
  validateAddress(m.delegatorAddress, "delegator address");
  validateValoperAddress(m.validatorAddress);
  positiveCoin(m.amount);
}

const delegate = msgRoute<MsgDelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
  type: MsgDelegate,
  signers: (m) => [m.delegatorAddress],
  validate: validateDelegationMsg,
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const shares = k.delegate(ctx, m.delegatorAddress, m.validatorAddress, amount);
    ctx.events.emit("delegate", { validator: m.validatorAddress, delegator: m.delegatorAddress, amount: `${amount}${m.amount.denom}`, new_shares: shares.toString() });
    return { typeUrl: "/cosmos.staking.v1beta1.MsgDelegateResponse", value: MsgDelegateResponse.encode({}).finish() };
  },
});

const undelegateRoute = msgRoute<MsgUndelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
  type: MsgUndelegate,
  signers: (m) => [m.delegatorAddress],
  validate: validateDelegationMsg,
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const done = undelegate(ctx, m.delegatorAddress, m.validatorAddress, amount);
    return {
      typeUrl: "/cosmos.staking.v1beta1.MsgUndelegateResponse",
      value: MsgUndelegateResponse.encode({ completionTime: { seconds: done, nanos: 0 }, amount: m.amount }).finish(),
    };
  },
});

const beginRedelegate = msgRoute<MsgBeginRedelegate>({
  typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
  type: MsgBeginRedelegate,
  signers: (m) => [m.delegatorAddress],
  validate(m) {
    validateAddress(m.delegatorAddress, "delegator address");
    validateValoperAddress(m.validatorSrcAddress, "source validator address");
    validateValoperAddress(m.validatorDstAddress, "destination validator address");
    positiveCoin(m.amount);
  },
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const done = redelegate(ctx, m.delegatorAddress, m.validatorSrcAddress, m.validatorDstAddress, amount);
    return { typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegateResponse", value: MsgBeginRedelegateResponse.encode({ completionTime: { seconds: done, nanos: 0 } }).finish() };
  },
});

const updateParams = updateParamsRoute<Params>({ typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams", type: MsgUpdateParams, validate: validateStakingParams, set: (s, p) => k.setParams(s, p) });

export const stakingMsgs: MsgRoute[] = [createValidator, editValidator, delegate, undelegateRoute, beginRedelegate, updateParams];
