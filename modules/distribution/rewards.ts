import { DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { decFromWire } from "../../chain/dec.ts";
import { formatCoins, type Amount } from "../../chain/coins.ts";
import type { Context } from "../../chain/module.ts";
import type { KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { decCoins, roundHalfEven, type DecCoins } from "./dec-coins.ts";
import { distributionErrors } from "./errors.ts";
import { distributionKeeper as k } from "./keeper.ts";
import { DISTRIBUTION_MODULE } from "./keys.ts";
import { bankKeeper, sharesOf, stakingKeeper, tokensOf } from "./expected.ts";

/*
 * F1 fee distribution (the SDK's lazy reward accounting). Each validator has numbered
 * periods; closing a period adds "rewards per token" of that period to a running sum
 * (historical rewards). A delegation remembers the period before it started and its
 * stake; its rewards are (sum now - sum then) * stake, adjusted at each slash. So a
 * block costs O(validators), and a delegator's rewards are computed only when it acts.
 */

/** Smallest decimal steps by which a stake may exceed its recomputed value (rounding in the SDK's check). */
const STAKE_MARGIN = 3n;

export function initializeValidator(store: KVStore, val: string): void {
  k.setHistorical(store, val, 0n, { ratio: [], references: 1 });
  k.setCurrent(store, val, { rewards: [], period: 1n });
  k.setCommission(store, val, []);
  k.setOutstanding(store, val, []);
}

function incrementReference(store: KVStore, val: string, period: bigint): void {
  const h = k.historical(store, val, period);
  if (!h) throw sdkErrors.internal.wrap(`no historical rewards for ${val} period ${period}`);
  k.setHistorical(store, val, period, { ...h, references: h.references + 1 });
}

function decrementReference(store: KVStore, val: string, period: bigint): void {
  const h = k.historical(store, val, period);
  if (!h || h.references === 0) throw sdkErrors.internal.wrap(`no reference to historical rewards of ${val} period ${period}`);
  if (h.references === 1) k.deleteHistorical(store, val, period);
  else k.setHistorical(store, val, period, { ...h, references: h.references - 1 });
}

/** Closes the validator's current period and returns its number. */
export function incrementValidatorPeriod(ctx: Context, val: string): bigint {
  const v = stakingKeeper.mustValidator(ctx.store, val);
  const current = k.current(ctx.store, val);
  let ratio: DecCoins = [];
  if (tokensOf(v) === 0n) {
    // Nobody holds stake in this period: its rewards go to the community pool.
    k.setCommunityPool(ctx.store, decCoins.add(k.communityPool(ctx.store), current.rewards));
    k.setOutstanding(ctx.store, val, decCoins.sub(k.outstanding(ctx.store, val), current.rewards));
  } else {
    ratio = decCoins.quoDecTruncate(current.rewards, tokensOf(v) * DEC_ONE);
  }
  const previous = k.historical(ctx.store, val, current.period - 1n);
  if (!previous) throw sdkErrors.internal.wrap(`no historical rewards for ${val} period ${current.period - 1n}`);
  decrementReference(ctx.store, val, current.period - 1n);
  k.setHistorical(ctx.store, val, current.period, { ratio: decCoins.add(previous.ratio, ratio), references: 1 });
  k.setCurrent(ctx.store, val, { rewards: [], period: current.period + 1n });
  return current.period;
}

/** Stake (18 decimals) of `shares` in the validator, truncated (the SDK's TokensFromSharesTruncated). */
function stakeTruncated(tokens: bigint, totalShares: bigint, shares: bigint): bigint {
  return totalShares === 0n ? 0n : (shares * tokens * DEC_ONE) / totalShares;
}

/** Stake (18 decimals) of `shares`, rounded half to even (the SDK's TokensFromShares). */
function stakeRounded(tokens: bigint, totalShares: bigint, shares: bigint): bigint {
  return totalShares === 0n ? 0n : roundHalfEven((shares * tokens * DEC_ONE * DEC_ONE) / totalShares, DEC_ONE);
}

/** Starts (or restarts) a delegation's reward accounting from the validator's last closed period. */
export function initializeDelegation(ctx: Context, val: string, del: string): void {
  const previousPeriod = k.current(ctx.store, val).period - 1n;
  incrementReference(ctx.store, val, previousPeriod);
  const v = stakingKeeper.mustValidator(ctx.store, val);
  const d = stakingKeeper.getDelegation(ctx.store, del, val);
  if (!d) throw distributionErrors.emptyDelegationDistInfo.wrap(`${del} has no delegation to ${val}`);
  const stake = stakeTruncated(tokensOf(v), sharesOf(v), decFromWire(d.shares));
  k.setStartingInfo(ctx.store, val, del, { previousPeriod, stake, height: ctx.block.height });
}

function rewardsBetween(ctx: Context, val: string, start: bigint, end: bigint, stake: bigint): DecCoins {
  if (start > end) throw sdkErrors.internal.wrap(`period ${start} after ${end} for ${val}`);
  const from = k.historical(ctx.store, val, start);
  const to = k.historical(ctx.store, val, end);
  if (!from || !to) throw sdkErrors.internal.wrap(`missing historical rewards of ${val} between periods ${start} and ${end}`);
  return decCoins.mulDecTruncate(decCoins.sub(to.ratio, from.ratio), stake);
}

/** Rewards a delegation earned up to `endingPeriod` (a closed period), following the validator's slashes. */
export function calculateDelegationRewards(ctx: Context, val: string, del: string, endingPeriod: bigint): DecCoins {
  const info = k.startingInfo(ctx.store, val, del);
  if (!info) throw distributionErrors.emptyDelegationDistInfo.wrap(`${del} has no rewards record with ${val}`);
  if (info.height === ctx.block.height) return [];
  let start = info.previousPeriod;
  let stake = info.stake;
  let rewards: DecCoins = [];
  if (ctx.block.height > info.height) {
    for (const e of k.slashEvents(ctx.store, val, info.height, ctx.block.height)) {
      if (e.period <= start) continue;
      rewards = decCoins.add(rewards, rewardsBetween(ctx, val, start, e.period, stake));
      stake = (stake * (DEC_ONE - e.fraction)) / DEC_ONE;
      start = e.period;
    }
  }
  const v = stakingKeeper.mustValidator(ctx.store, val);
  const d = stakingKeeper.getDelegation(ctx.store, del, val);
  const currentStake = d ? stakeRounded(tokensOf(v), sharesOf(v), decFromWire(d.shares)) : 0n;
  if (stake > currentStake) {
    if (stake - currentStake > STAKE_MARGIN) {
      throw sdkErrors.internal.wrap(`calculated stake ${stake} of ${del} with ${val} is above its current stake ${currentStake}`);
    }
    stake = currentStake;
  }
  return decCoins.add(rewards, rewardsBetween(ctx, val, start, endingPeriod, stake));
}

/** Pays a delegation's rewards (whole coins) to its withdraw address and ends its record. */
export function withdrawDelegationRewards(ctx: Context, val: string, del: string): Amount[] {
  const info = k.startingInfo(ctx.store, val, del);
  if (!info) throw distributionErrors.emptyDelegationDistInfo.wrap(`${del} has no rewards record with ${val}`);
  const endingPeriod = incrementValidatorPeriod(ctx, val);
  const owed = calculateDelegationRewards(ctx, val, del, endingPeriod);
  const outstanding = k.outstanding(ctx.store, val);
  // Rounding can make a delegation's share a hair above what the validator holds.
  const rewards = decCoins.intersect(owed, outstanding);
  const { whole, change } = decCoins.truncate(rewards);
  if (whole.length > 0) bankKeeper.sendCoins(ctx, moduleAddress(DISTRIBUTION_MODULE), k.withdrawAddress(ctx.store, del), whole);
  k.setOutstanding(ctx.store, val, decCoins.sub(outstanding, rewards));
  k.setCommunityPool(ctx.store, decCoins.add(k.communityPool(ctx.store), change));
  decrementReference(ctx.store, val, info.previousPeriod);
  k.deleteStartingInfo(ctx.store, val, del);
  const shown = whole.length ? formatCoins(whole) : `0${stakingKeeper.getParams(ctx.store).bondDenom}`;
  ctx.events.emit("withdraw_rewards", { amount: shown, validator: val, delegator: del });
  return whole;
}

/** Pays a validator's accumulated commission (whole coins) to its operator's withdraw address. */
export function withdrawValidatorCommission(ctx: Context, val: string, operator: string): Amount[] {
  const accumulated = k.commission(ctx.store, val);
  if (accumulated.length === 0) throw distributionErrors.noValidatorCommission.wrap(val);
  const { whole, change } = decCoins.truncate(accumulated);
  k.setCommission(ctx.store, val, change);
  k.setOutstanding(ctx.store, val, decCoins.sub(k.outstanding(ctx.store, val), decCoins.fromCoins(whole)));
  if (whole.length > 0) bankKeeper.sendCoins(ctx, moduleAddress(DISTRIBUTION_MODULE), k.withdrawAddress(ctx.store, operator), whole);
  ctx.events.emit("withdraw_commission", { amount: formatCoins(whole) });
  return whole;
}

/** Records a slash: closes the period so rewards before and after use the right stake. */
export function recordSlash(ctx: Context, val: string, fraction: bigint): void {
  if (fraction < 0n || fraction > DEC_ONE) throw sdkErrors.internal.wrap(`slash fraction ${fraction} is outside [0, 1]`);
  const period = incrementValidatorPeriod(ctx, val);
  incrementReference(ctx.store, val, period);
  k.setSlashEvent(ctx.store, val, { height: ctx.block.height, period, fraction });
}

/** Credits rewards to a validator: its commission, the rest to its delegators' current period. */
export function allocateToValidator(ctx: Context, val: string, tokens: DecCoins): void {
  const v = stakingKeeper.mustValidator(ctx.store, val);
  const commission = decCoins.mulDec(tokens, decFromWire(v.commission.commissionRates.rate));
  const shared = decCoins.sub(tokens, commission);
  k.setCommission(ctx.store, val, decCoins.add(k.commission(ctx.store, val), commission));
  const current = k.current(ctx.store, val);
  k.setCurrent(ctx.store, val, { ...current, rewards: decCoins.add(current.rewards, shared) });
  k.setOutstanding(ctx.store, val, decCoins.add(k.outstanding(ctx.store, val), tokens));
  ctx.events.emit("commission", { amount: decCoins.format(commission), validator: val });
  ctx.events.emit("rewards", { amount: decCoins.format(tokens), validator: val });
}
