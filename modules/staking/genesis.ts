import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { BondStatus, bondStatusFromJSON, bondStatusToJSON, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { validateAddress, validateValoperAddress } from "../../chain/address.ts";
import { decFromString, decFromWire, decToString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { BONDED_POOL, NOT_BONDED_POOL } from "./keys.ts";
import { consensusKey, ED25519_PUBKEY_TYPE, sharesOf, stakingKeeper as k, stakingStore, tokensOf } from "./keeper.ts";
import { defaultStakingParams, stakingParamsFromJson, stakingParamsToJson } from "./params.ts";
import { applyValidatorSetUpdates } from "./valset.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

type Json = Record<string, any>;

export interface StakingGenesis {
  params?: Json;
  validators?: Json[];
  delegations?: Json[];
  unbonding_delegations?: Json[];
  redelegations?: Json[];
}

const toTime = (s: string | undefined): bigint => (s ? BigInt(Math.floor(Date.parse(s) / 1000)) : 0n);
const fromTime = (t: bigint): string => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
const dec = (s: unknown, what: string): string => decFromString(String(s ?? "0"), what).toString();

export function defaultStakingGenesis(): StakingGenesis {
  return { params: stakingParamsToJson(defaultStakingParams), validators: [], delegations: [], unbonding_delegations: [], redelegations: [] };
}

export function validatorFromJson(j: Json): Validator {
  const pk = j.consensus_pubkey ?? {};
  if (pk["@type"] !== ED25519_PUBKEY_TYPE) throw sdkErrors.invalidPubKey.wrap(`validator ${j.operator_address}: consensus key must be ${ED25519_PUBKEY_TYPE}`);
  const c = j.commission?.commission_rates ?? {};
  return {
    operatorAddress: validateValoperAddress(String(j.operator_address ?? "")),
    consensusPubkey: { typeUrl: ED25519_PUBKEY_TYPE, value: Ed25519PubKey.encode({ key: new Uint8Array(Buffer.from(String(pk.key), "base64")) }).finish() },
    jailed: !!j.jailed,
    status: bondStatusFromJSON(j.status ?? "BOND_STATUS_UNBONDED"),
    tokens: BigInt(String(j.tokens ?? "0")).toString(),
    delegatorShares: dec(j.delegator_shares, "delegator_shares"),
    description: {
      moniker: String(j.description?.moniker ?? ""), identity: String(j.description?.identity ?? ""), website: String(j.description?.website ?? ""),
      securityContact: String(j.description?.security_contact ?? ""), details: String(j.description?.details ?? ""),
    },
    unbondingHeight: BigInt(String(j.unbonding_height ?? "0")),
    unbondingTime: { seconds: toTime(j.unbonding_time), nanos: 0 },
    commission: {
      commissionRates: { rate: dec(c.rate, "rate"), maxRate: dec(c.max_rate, "max_rate"), maxChangeRate: dec(c.max_change_rate, "max_change_rate") },
      updateTime: { seconds: toTime(j.commission?.update_time), nanos: 0 },
    },
    minSelfDelegation: BigInt(String(j.min_self_delegation ?? "1")).toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}

export function validatorToJson(v: Validator): Json {
  const r = v.commission.commissionRates;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: { "@type": ED25519_PUBKEY_TYPE, key: Buffer.from(consensusKey(v)).toString("base64") },
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: decToString(sharesOf(v)),
    description: { moniker: v.description.moniker, identity: v.description.identity, website: v.description.website, security_contact: v.description.securityContact, details: v.description.details },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: fromTime(v.unbondingTime.seconds),
    commission: {
      commission_rates: { rate: decToString(decFromWire(r.rate)), max_rate: decToString(decFromWire(r.maxRate)), max_change_rate: decToString(decFromWire(r.maxChangeRate)) },
      update_time: fromTime(v.commission.updateTime.seconds),
    },
    min_self_delegation: v.minSelfDelegation,
  };
}

export function initStakingGenesis(ctx: Context, raw: unknown): ValidatorUpdate[] {
  const g = (raw ?? {}) as StakingGenesis;
  const params = stakingParamsFromJson(g.params);
  k.setParams(ctx.store, params);
  authKeeper.getOrCreateModuleAccount(ctx.store, BONDED_POOL, ["burner", "staking"]);
  authKeeper.getOrCreateModuleAccount(ctx.store, NOT_BONDED_POOL, ["burner", "staking"]);
  for (const j of g.validators ?? []) {
    const v = validatorFromJson(j);
    if (k.getValidator(ctx.store, v.operatorAddress)) throw sdkErrors.invalidRequest.wrap(`duplicate validator ${v.operatorAddress}`);
    k.setValidator(ctx.store, v);
    k.setConsIndex(ctx.store, v);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) stakingStore.validatorQueue.add(ctx.store, [v.unbondingTime.seconds, v.operatorAddress]);
  }
  for (const j of g.delegations ?? []) {
    const d = { delegatorAddress: validateAddress(String(j.delegator_address)), validatorAddress: validateValoperAddress(String(j.validator_address)), shares: dec(j.shares, "shares") };
    k.mustValidator(ctx.store, d.validatorAddress);
    k.setDelegation(ctx.store, d);
  }
  for (const j of g.unbonding_delegations ?? []) {
    const u = {
      delegatorAddress: validateAddress(String(j.delegator_address)), validatorAddress: validateValoperAddress(String(j.validator_address)),
      entries: (j.entries ?? []).map((e: Json) => ({
        creationHeight: BigInt(String(e.creation_height ?? "0")), completionTime: { seconds: toTime(e.completion_time), nanos: 0 },
        initialBalance: String(e.initial_balance), balance: String(e.balance), unbondingId: 0n, unbondingOnHoldRefCount: 0n,
      })),
    };
    k.setUnbonding(ctx.store, u);
    for (const e of u.entries) stakingStore.unbondingQueue.add(ctx.store, [e.completionTime.seconds, u.delegatorAddress, u.validatorAddress]);
  }
  for (const j of g.redelegations ?? []) {
    const r = {
      delegatorAddress: validateAddress(String(j.delegator_address)),
      validatorSrcAddress: validateValoperAddress(String(j.validator_src_address)), validatorDstAddress: validateValoperAddress(String(j.validator_dst_address)),
      entries: (j.entries ?? []).map((e: Json) => ({
        creationHeight: BigInt(String(e.creation_height ?? "0")), completionTime: { seconds: toTime(e.completion_time), nanos: 0 },
        initialBalance: String(e.initial_balance), sharesDst: dec(e.shares_dst, "shares_dst"), unbondingId: 0n, unbondingOnHoldRefCount: 0n,
      })),
    };
    k.setRedelegation(ctx.store, r);
    for (const e of r.entries) stakingStore.redelegationQueue.add(ctx.store, [e.completionTime.seconds, r.delegatorAddress, [r.validatorSrcAddress, r.validatorDstAddress]]);
  }
  const broken = stakingInvariants(ctx.store);
  if (broken.length) throw sdkErrors.invalidRequest.wrap(`staking genesis is inconsistent: ${broken.join("; ")}`);
  // Start from an empty CometBFT set: every bonded validator is returned to InitChain.
  return applyValidatorSetUpdates(ctx);
}

export function exportStakingGenesis(state: KVReader): StakingGenesis {
  return {
    params: stakingParamsToJson(k.getParams(state)),
    validators: k.allValidators(state).map(validatorToJson),
    delegations: k.allDelegations(state).map((d) => ({ delegator_address: d.delegatorAddress, validator_address: d.validatorAddress, shares: decToString(decFromWire(d.shares)) })),
    unbonding_delegations: k.allUnbondings(state).map((u) => ({
      delegator_address: u.delegatorAddress, validator_address: u.validatorAddress,
      entries: u.entries.map((e) => ({ creation_height: e.creationHeight.toString(), completion_time: fromTime(e.completionTime.seconds), initial_balance: e.initialBalance, balance: e.balance })),
    })),
    redelegations: k.allRedelegations(state).map((r) => ({
      delegator_address: r.delegatorAddress, validator_src_address: r.validatorSrcAddress, validator_dst_address: r.validatorDstAddress,
      entries: r.entries.map((e) => ({ creation_height: e.creationHeight.toString(), completion_time: fromTime(e.completionTime.seconds), initial_balance: e.initialBalance, shares_dst: decToString(decFromWire(e.sharesDst)) })),
    })),
  };
}

/** Pools hold exactly the validators' tokens and unbonding balances; shares add up. */
export function stakingInvariants(state: KVReader): string[] {
  const denom = k.getParams(state).bondDenom;
  const out: string[] = [];
  const validators = k.allValidators(state);
  const bonded = validators.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED).reduce((s, v) => s + tokensOf(v), 0n);
  const notBonded = validators.filter((v) => v.status !== BondStatus.BOND_STATUS_BONDED).reduce((s, v) => s + tokensOf(v), 0n)
    + k.allUnbondings(state).reduce((s, u) => s + u.entries.reduce((a, e) => a + BigInt(e.balance), 0n), 0n);
  const bondedPool = bankKeeper.getBalance(state, moduleAddress(BONDED_POOL), denom);
  const notBondedPool = bankKeeper.getBalance(state, moduleAddress(NOT_BONDED_POOL), denom);
  if (bondedPool !== bonded) out.push(`staking/bonded-pool: pool holds ${bondedPool}${denom}, bonded validators ${bonded}${denom}`);
  if (notBondedPool !== notBonded) out.push(`staking/not-bonded-pool: pool holds ${notBondedPool}${denom}, unbonded tokens and entries ${notBonded}${denom}`);
  const sums = new Map<string, bigint>();
  for (const d of k.allDelegations(state)) sums.set(d.validatorAddress, (sums.get(d.validatorAddress) ?? 0n) + decFromWire(d.shares));
  for (const v of validators) {
    if ((sums.get(v.operatorAddress) ?? 0n) !== sharesOf(v)) out.push(`staking/delegator-shares: ${v.operatorAddress} has ${sharesOf(v)} shares, its delegations ${sums.get(v.operatorAddress) ?? 0n}`);
  }
  return out;
}
