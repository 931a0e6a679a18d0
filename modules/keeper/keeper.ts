import { Keeper, KeeperDelegation, KeeperSnapshot, NodeReport, Params } from "../../proto/gen/aro/keeper/v1/keeper.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { accumulate, earned, sharesForTokens, sharesToRemove, tokensForShares, type Pool } from "../../chain/share-pool.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper } from "../auth/keeper.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { stakingKeeper } from "../staking/keeper.ts";
import { keeperErrors } from "./errors.ts";
import { pad, REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { keeperStore } from "./store.ts";

const s = keeperStore;
const int = (s: string) => (s ? BigInt(s) : 0n);
export const poolOf = (k: Keeper): Pool => ({ tokens: int(k.tokens), shares: int(k.shares) });

/** State access of aro/keeper. */
export const keeperKeeper = {
  getParams(state: KVReader): Params {
    return s.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    s.params.set(store, p);
  },
  denom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  get(state: KVReader, addr: string): Keeper | undefined {
    return s.keepers.get(state, addr);
  },
  must(state: KVReader, addr: string): Keeper {
    const k = this.get(state, addr);
    if (!k) throw keeperErrors.keeperNotFound.wrap(addr);
    return k;
  },
  set(store: KVStore, k: Keeper): void {
    s.keepers.set(store, k.address, k);
  },
  all(state: KVReader): Keeper[] {
    return s.keepers.values(state);
  },

  getDelegation(state: KVReader, keeper: string, del: string): KeeperDelegation | undefined {
    return s.delegations.get(state, [keeper, del]);
  },
  setDelegation(store: KVStore, d: KeeperDelegation): void {
    if (int(d.shares) === 0n) {
      s.delegations.delete(store, [d.keeper, d.delegator]);
      s.byDelegator.remove(store, [d.delegator, d.keeper]);
      return;
    }
    s.delegations.set(store, [d.keeper, d.delegator], d);
    s.byDelegator.add(store, [d.delegator, d.keeper]);
  },
  delegationsTo(state: KVReader, keeper: string): KeeperDelegation[] {
    return s.delegations.values(state, { prefix: `${keeper}/` });
  },
  allDelegations(state: KVReader): KeeperDelegation[] {
    return s.delegations.values(state);
  },

  /** Pays a delegation's earned keeper rewards and restarts its count. */
  payRewards(ctx: Context, k: Keeper, d: KeeperDelegation): bigint {
    const amount = earned(int(d.shares), int(k.rewardPerShare), int(d.rewardPerShareStart));
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), d.delegator, [{ denom: this.denom(ctx.store), amount }]);
    this.setDelegation(ctx.store, { ...d, rewardPerShareStart: k.rewardPerShare });
    return amount;
  },

  delegate(ctx: Context, keeper: string, del: string, amount: bigint): void {
    const k = this.must(ctx.store, keeper);
    const existing = this.getDelegation(ctx.store, keeper, del);
    if (existing) this.payRewards(ctx, k, existing);
    authKeeper.getOrCreateModuleAccount(ctx.store, STAKE_POOL);
    bankKeeper.sendFromAccountToModule(ctx, del, STAKE_POOL, [{ denom: this.denom(ctx.store), amount }]);
    const pool = poolOf(k);
    const shares = sharesForTokens(pool, amount);
    this.set(ctx.store, { ...k, tokens: (pool.tokens + amount).toString(), shares: (pool.shares + shares).toString() });
    this.setDelegation(ctx.store, { keeper, delegator: del, shares: ((existing ? int(existing.shares) : 0n) + shares).toString(), rewardPerShareStart: k.rewardPerShare });
  },

  undelegate(ctx: Context, keeper: string, del: string, amount: bigint): bigint {
    const k = this.must(ctx.store, keeper);
    const d = this.getDelegation(ctx.store, keeper, del);
    if (!d) throw keeperErrors.noDelegation.wrap(`${del} to ${keeper}`);
    const pool = poolOf(k);
    const owned = int(d.shares);
    const shares = amount === tokensForShares(pool, owned) ? owned : sharesToRemove(pool, amount);
    if (shares > owned) throw keeperErrors.insufficientDelegation.wrap(`${del} has ${tokensForShares(pool, owned)} with ${keeper}, asked for ${amount}`);
    this.payRewards(ctx, k, d);
    this.set(ctx.store, { ...k, tokens: (pool.tokens - amount).toString(), shares: (pool.shares - shares).toString() });
    this.setDelegation(ctx.store, { ...d, shares: (owned - shares).toString(), rewardPerShareStart: k.rewardPerShare });
    const done = ctx.block.timeSeconds + this.getParams(ctx.store).unbondingTime;
    const prev = s.unbonding.get(ctx.store, [done, keeper, del]);
    s.unbonding.set(ctx.store, [done, keeper, del], ((prev !== undefined ? BigInt(prev) : 0n) + amount).toString());
    return done;
  },
  allUnbondings(state: KVReader): Array<{ keeper: string; delegator: string; time: bigint; amount: bigint }> {
    return s.unbonding.entries(state).map(([[time, keeper, delegator], amount]) => ({ keeper, delegator, time, amount: BigInt(amount) }));
  },
  /** Up to `limit` unbondings completing at or before `time`, in completion order. */
  unbondingsDue(state: KVReader, time: bigint, limit: number): Array<{ keeper: string; delegator: string; time: bigint; amount: bigint }> {
    return s.unbonding.entries(state, { before: pad(time + 1n), limit }).map(([[t, keeper, delegator], amount]) => ({ keeper, delegator, time: t, amount: BigInt(amount) }));
  },
  /** Records an unbonding as genesis lists it (the amount's text as given). */
  setUnbonding(store: KVStore, time: bigint, keeper: string, del: string, amount: string): void {
    s.unbonding.set(store, [time, keeper, del], amount);
  },
  deleteUnbonding(store: KVStore, time: bigint, keeper: string, del: string): void {
    s.unbonding.delete(store, [time, keeper, del]);
  },

  /** Burns `fraction` of the stake behind a keeper and jails it. */
  slash(ctx: Context, addr: string, fraction: bigint, reason: string): bigint {
    const k = this.must(ctx.store, addr);
    const burned = (int(k.tokens) * (fraction > DEC_ONE ? DEC_ONE : fraction)) / DEC_ONE;
    if (burned > 0n) bankKeeper.burnFromModule(ctx, STAKE_POOL, [{ denom: this.denom(ctx.store), amount: burned }]);
    this.set(ctx.store, { ...k, tokens: (int(k.tokens) - burned).toString(), jailed: true, strikes: 0, slashes: k.slashes + 1n });
    ctx.events.emit("keeper_slashed", { keeper: addr, reason, burned: burned.toString(), fraction: fraction.toString() });
    return burned;
  },

  /** Credits `amount` (already in the reward account) to everyone staked behind a keeper. */
  creditReward(ctx: Context, addr: string, amount: bigint): void {
    const k = this.must(ctx.store, addr);
    this.set(ctx.store, { ...k, rewardPerShare: accumulate(int(k.rewardPerShare), amount, int(k.shares)).toString() });
  },

  getSnapshot(state: KVReader, epoch: bigint): KeeperSnapshot | undefined {
    return s.snapshots.get(state, epoch);
  },
  setSnapshot(store: KVStore, snap: KeeperSnapshot): void {
    s.snapshots.set(store, snap.epoch, snap);
  },

  setReport(store: KVStore, epoch: bigint, keeper: string, r: NodeReport): void {
    s.reports.set(store, [epoch, r.nodeId, keeper], r);
  },
  reportsFor(state: KVReader, epoch: bigint, node: bigint): Array<{ keeper: string; report: NodeReport }> {
    return s.reports.entries(state, { prefix: `${pad(epoch)}/${pad(node)}/` }).map(([[, , keeper], report]) => ({ keeper, report }));
  },
  /** Keepers that attested in an epoch with how many reports each (their workload). */
  attestedIn(state: KVReader, epoch: bigint): Array<{ keeper: string; reports: bigint }> {
    return s.attested.entries(state, { prefix: `${pad(epoch)}/` }).map(([[, keeper], reports]) => ({ keeper, reports }));
  },
  markAttested(store: KVStore, epoch: bigint, keeper: string, reports: number): void {
    s.attested.set(store, [epoch, keeper], BigInt(reports));
  },
  hasAttested: (state: KVReader, epoch: bigint, keeper: string) => s.attested.has(state, [epoch, keeper]),

  slashFraction: (state: KVReader) => decFromString(keeperKeeper.getParams(state).slashFraction),
};
