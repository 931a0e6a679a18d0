import { decFromString, decToString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { validateAddress, validateValoperAddress } from "../../chain/address.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { decCoins, type DecCoins } from "./dec-coins.ts";
import { distributionKeeper as k } from "./keeper.ts";
import { DISTRIBUTION_MODULE } from "./keys.ts";
import { defaultDistributionParams, distributionParamsFromJson, distributionParamsToJson } from "./params.ts";
import { calculateDelegationRewards, incrementValidatorPeriod, initializeDelegation, initializeValidator } from "./rewards.ts";
import { authKeeper, bankKeeper, stakingKeeper } from "./expected.ts";

type Json = Record<string, unknown>;
const list = (g: Json, key: string): Json[] => {
  const v = g[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw sdkErrors.invalidRequest.wrap(`${key} must be a list`);
  return v as Json[];
};
const str = (o: Json, key: string): string => {
  if (typeof o[key] !== "string") throw sdkErrors.invalidRequest.wrap(`${key} must be a string`);
  return o[key] as string;
};
const uint = (o: Json, key: string): bigint => {
  const s = String(o[key] ?? "");
  if (!/^\d+$/.test(s)) throw sdkErrors.invalidRequest.wrap(`${key} must be a non-negative integer, got ${JSON.stringify(o[key])}`);
  return BigInt(s);
};

export const defaultDistributionGenesis = (): Json => ({
  params: distributionParamsToJson(defaultDistributionParams),
  fee_pool: { community_pool: [] },
  delegator_withdraw_infos: [],
  previous_proposer: "",
  outstanding_rewards: [],
  validator_accumulated_commissions: [],
  validator_historical_rewards: [],
  validator_current_rewards: [],
  delegator_starting_infos: [],
  validator_slash_events: [],
});

/**
 * A fresh genesis (no validator records) starts accounting for the validators and
 * delegations x/staking loaded, as the hooks would have; an exported one is imported as is.
 */
export function initDistributionGenesis(ctx: Context, raw: unknown): void {
  const g = (raw ?? {}) as Json;
  k.setParams(ctx.store, distributionParamsFromJson(g.params as Json | undefined));
  k.setCommunityPool(ctx.store, decCoins.fromJson((g.fee_pool as Json | undefined)?.community_pool, "community_pool"));
  authKeeper.getOrCreateModuleAccount(ctx.store, DISTRIBUTION_MODULE);
  for (const w of list(g, "delegator_withdraw_infos")) {
    k.setWithdrawAddress(ctx.store, validateAddress(str(w, "delegator_address")), validateAddress(str(w, "withdraw_address")));
  }
  const currents = list(g, "validator_current_rewards");
  if (currents.length === 0) {
    for (const v of stakingKeeper.allValidators(ctx.store)) initializeValidator(ctx.store, v.operatorAddress);
    for (const d of stakingKeeper.allDelegations(ctx.store)) {
      incrementValidatorPeriod(ctx, d.validatorAddress);
      initializeDelegation(ctx, d.validatorAddress, d.delegatorAddress);
    }
  } else {
    importRecords(ctx, g, currents);
  }
  const broken = distributionInvariants(ctx.store);
  if (broken.length) throw sdkErrors.invalidRequest.wrap(`distribution genesis is inconsistent: ${broken.join("; ")}`);
}

function importRecords(ctx: Context, g: Json, currents: Json[]): void {
  const s = ctx.store;
  const val = (o: Json) => validateValoperAddress(str(o, "validator_address"));
  for (const r of list(g, "outstanding_rewards")) k.setOutstanding(s, val(r), decCoins.fromJson(r.outstanding_rewards, "outstanding_rewards"));
  for (const r of list(g, "validator_accumulated_commissions")) k.setCommission(s, val(r), decCoins.fromJson((r.accumulated as Json | undefined)?.commission, "commission"));
  for (const r of list(g, "validator_historical_rewards")) {
    const rewards = (r.rewards ?? {}) as Json;
    k.setHistorical(s, val(r), uint(r, "period"), { ratio: decCoins.fromJson(rewards.cumulative_reward_ratio, "cumulative_reward_ratio"), references: Number(uint(rewards, "reference_count")) });
  }
  for (const r of currents) {
    const rewards = (r.rewards ?? {}) as Json;
    k.setCurrent(s, val(r), { rewards: decCoins.fromJson(rewards.rewards, "current rewards"), period: uint(rewards, "period") });
  }
  for (const r of list(g, "delegator_starting_infos")) {
    const info = (r.starting_info ?? {}) as Json;
    k.setStartingInfo(s, val(r), validateAddress(str(r, "delegator_address")), {
      previousPeriod: uint(info, "previous_period"), stake: decFromString(str(info, "stake"), "stake"), height: uint(info, "height"),
    });
  }
  for (const r of list(g, "validator_slash_events")) {
    const e = (r.validator_slash_event ?? {}) as Json;
    k.setSlashEvent(s, val(r), { height: uint(r, "height"), period: uint(e, "validator_period"), fraction: decFromString(str(e, "fraction"), "fraction") });
  }
}

export function exportDistributionGenesis(state: KVReader): Json {
  const vals = k.validatorsWithRecords(state);
  return {
    params: distributionParamsToJson(k.getParams(state)),
    fee_pool: { community_pool: decCoins.toJson(k.communityPool(state)) },
    delegator_withdraw_infos: k.allWithdrawAddresses(state).map((w) => ({ delegator_address: w.del, withdraw_address: w.to })),
    previous_proposer: "",
    outstanding_rewards: vals.map((v) => ({ validator_address: v, outstanding_rewards: decCoins.toJson(k.outstanding(state, v)) })),
    validator_accumulated_commissions: vals.map((v) => ({ validator_address: v, accumulated: { commission: decCoins.toJson(k.commission(state, v)) } })),
    validator_historical_rewards: vals.flatMap((v) => k.historicalOf(state, v).map((h) => ({
      validator_address: v, period: h.period.toString(),
      rewards: { cumulative_reward_ratio: decCoins.toJson(h.rewards.ratio), reference_count: h.rewards.references },
    }))),
    validator_current_rewards: vals.map((v) => {
      const c = k.current(state, v);
      return { validator_address: v, rewards: { rewards: decCoins.toJson(c.rewards), period: c.period.toString() } };
    }),
    delegator_starting_infos: vals.flatMap((v) => k.startingInfosOf(state, v).map(({ del, info }) => ({
      delegator_address: del, validator_address: v,
      starting_info: { previous_period: info.previousPeriod.toString(), stake: decToString(info.stake), height: info.height.toString() },
    }))),
    validator_slash_events: vals.flatMap((v) => k.slashEvents(state, v).map((e) => ({
      validator_address: v, height: e.height.toString(), period: e.period.toString(),
      validator_slash_event: { validator_period: e.period.toString(), fraction: decToString(e.fraction) },
    }))),
  };
}

/**
 * The reward pools are backed and consistent with x/staking:
 * - the module account holds the outstanding rewards plus the community pool (whole coins);
 * - every validator has records, every delegation a starting record and nothing else does;
 * - reference counts match (1 per validator + 1 per delegation + 1 per slash event);
 * - paying every delegation and commission now would not take more than each validator holds.
 */
export function distributionInvariants(state: KVReader): string[] {
  const out: string[] = [];
  const vals = k.validatorsWithRecords(state);
  let expected: DecCoins = k.communityPool(state);
  for (const v of vals) expected = decCoins.add(expected, k.outstanding(state, v));
  const held = decCoins.fromCoins(bankKeeper.getAllBalances(state, moduleAddress(DISTRIBUTION_MODULE)));
  if (decCoins.format(held) !== decCoins.format(decCoins.fromCoins(decCoins.truncate(expected).whole))) {
    out.push(`distribution/module-account: holds ${decCoins.format(held)}, outstanding rewards + community pool = ${decCoins.format(expected)}`);
  }
  const withRecords = new Set(vals);
  const stakingVals = stakingKeeper.allValidators(state);
  for (const v of stakingVals) if (!withRecords.has(v.operatorAddress)) out.push(`distribution/validator-records: ${v.operatorAddress} has no reward records`);
  for (const v of stakingVals) {
    const val = v.operatorAddress;
    if (!withRecords.has(val)) continue;
    const delegations = stakingKeeper.delegationsTo(state, val);
    const starting = k.startingInfosOf(state, val);
    const delegators = new Set(delegations.map((d) => d.delegatorAddress));
    for (const s of starting) if (!delegators.has(s.del)) out.push(`distribution/starting-info: ${s.del} has a rewards record with ${val} but no delegation`);
    const recorded = new Set(starting.map((s) => s.del));
    for (const d of delegations) if (!recorded.has(d.delegatorAddress)) out.push(`distribution/starting-info: delegation ${d.delegatorAddress} -> ${val} has no rewards record`);
    const references = k.historicalOf(state, val).reduce((n, h) => n + h.rewards.references, 0);
    const wanted = 1 + starting.length + k.slashEvents(state, val).length;
    if (references !== wanted) out.push(`distribution/reference-count: ${val} has ${references} references to historical rewards, expected ${wanted}`);
    out.push(...canWithdraw(state, val, starting.map((s) => s.del)));
  }
  return out;
}

/** A height after every record in the state, so rewards are computed "as of now" with all slashes applied. */
const AFTER_EVERYTHING = 1n << 62n;

/** Owed rewards of all delegations plus commission fit in the validator's outstanding rewards (a few 10^-18 of rounding allowed per delegation). */
function canWithdraw(state: KVReader, val: string, delegators: string[]): string[] {
  const ctx = scratchContext(state, AFTER_EVERYTHING);
  try {
    const ending = incrementValidatorPeriod(ctx, val);
    let owed = k.commission(ctx.store, val);
    for (const del of delegators) owed = decCoins.add(owed, calculateDelegationRewards(ctx, val, del, ending));
    const outstanding = k.outstanding(ctx.store, val);
    const slack = BigInt(delegators.length + 1) * 3n;
    const excess = owed.filter((c) => c.amount > (outstanding.find((o) => o.denom === c.denom)?.amount ?? 0n) + slack);
    return excess.length ? [`distribution/can-withdraw: ${val} owes ${decCoins.format(owed)} but holds ${decCoins.format(outstanding)}`] : [];
  } catch (err) {
    return [`distribution/can-withdraw: ${val}: ${(err as Error).message}`];
  }
}
