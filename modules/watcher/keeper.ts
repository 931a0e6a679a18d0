import { Watcher, WatcherDelegation, WatcherSnapshot, NodeReport, Params } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { accumulate, earned, sharesForTokens, sharesToRemove, tokensForShares, type Pool } from "../../chain/share-pool.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { watcherErrors } from "./errors.ts";
import { pad, REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { watcherStore } from "./store.ts";
import { authKeeper, bankKeeper, stakingKeeper } from "./expected.ts";

const s = watcherStore;
const int = (s: string) => (s ? BigInt(s) : 0n);
export const poolOf = (k: Watcher): Pool => ({ tokens: int(k.tokens), shares: int(k.shares) });

/** State access of aro/watcher. */
export const watcherKeeper = {
  getParams(state: KVReader): Params {
    return s.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    s.params.set(store, p);
  },
  denom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  get(state: KVReader, addr: string): Watcher | undefined {
    return s.watchers.get(state, addr);
  },
  must(state: KVReader, addr: string): Watcher {
    const k = this.get(state, addr);
    if (!k) throw watcherErrors.watcherNotFound.wrap(addr);
    return k;
  },
  set(store: KVStore, k: Watcher): void {
    s.watchers.set(store, k.address, k);
  },
  all(state: KVReader): Watcher[] {
    return s.watchers.values(state);
  },

  getDelegation(state: KVReader, watcher: string, del: string): WatcherDelegation | undefined {
    return s.delegations.get(state, [watcher, del]);
  },
  setDelegation(store: KVStore, d: WatcherDelegation): void {
    if (int(d.shares) === 0n) {
      s.delegations.delete(store, [d.watcher, d.delegator]);
      s.byDelegator.remove(store, [d.delegator, d.watcher]);
      return;
    }
    s.delegations.set(store, [d.watcher, d.delegator], d);
    s.byDelegator.add(store, [d.delegator, d.watcher]);
  },
  delegationsTo(state: KVReader, watcher: string): WatcherDelegation[] {
    return s.delegations.values(state, { prefix: `${watcher}/` });
  },
  allDelegations(state: KVReader): WatcherDelegation[] {
    return s.delegations.values(state);
  },

  /** Pays a delegation's earned watcher rewards and restarts its count. */
  payRewards(ctx: Context, k: Watcher, d: WatcherDelegation): bigint {
    const amount = earned(int(d.shares), int(k.rewardPerShare), int(d.rewardPerShareStart));
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), d.delegator, [{ denom: this.denom(ctx.store), amount }]);
    this.setDelegation(ctx.store, { ...d, rewardPerShareStart: k.rewardPerShare });
    return amount;
  },

  delegate(ctx: Context, watcher: string, del: string, amount: bigint): void {
    const k = this.must(ctx.store, watcher);
    const existing = this.getDelegation(ctx.store, watcher, del);
    if (existing) this.payRewards(ctx, k, existing);
    authKeeper.getOrCreateModuleAccount(ctx.store, STAKE_POOL);
    bankKeeper.sendFromAccountToModule(ctx, del, STAKE_POOL, [{ denom: this.denom(ctx.store), amount }]);
    const pool = poolOf(k);
    const shares = sharesForTokens(pool, amount);
    this.set(ctx.store, { ...k, tokens: (pool.tokens + amount).toString(), shares: (pool.shares + shares).toString() });
    this.setDelegation(ctx.store, { watcher, delegator: del, shares: ((existing ? int(existing.shares) : 0n) + shares).toString(), rewardPerShareStart: k.rewardPerShare });
  },

  undelegate(ctx: Context, watcher: string, del: string, amount: bigint): bigint {
    const k = this.must(ctx.store, watcher);
    const d = this.getDelegation(ctx.store, watcher, del);
    if (!d) throw watcherErrors.noDelegation.wrap(`${del} to ${watcher}`);
    const pool = poolOf(k);
    const owned = int(d.shares);
    const shares = amount === tokensForShares(pool, owned) ? owned : sharesToRemove(pool, amount);
    if (shares > owned) throw watcherErrors.insufficientDelegation.wrap(`${del} has ${tokensForShares(pool, owned)} with ${watcher}, asked for ${amount}`);
    this.payRewards(ctx, k, d);
    this.set(ctx.store, { ...k, tokens: (pool.tokens - amount).toString(), shares: (pool.shares - shares).toString() });
    this.setDelegation(ctx.store, { ...d, shares: (owned - shares).toString(), rewardPerShareStart: k.rewardPerShare });
    const done = ctx.block.timeSeconds + this.getParams(ctx.store).unbondingTime;
    const prev = s.unbonding.get(ctx.store, [done, watcher, del]);
    s.unbonding.set(ctx.store, [done, watcher, del], ((prev !== undefined ? BigInt(prev) : 0n) + amount).toString());
    return done;
  },
  allUnbondings(state: KVReader): Array<{ watcher: string; delegator: string; time: bigint; amount: bigint }> {
    return s.unbonding.entries(state).map(([[time, watcher, delegator], amount]) => ({ watcher, delegator, time, amount: BigInt(amount) }));
  },
  /** Up to `limit` unbondings completing at or before `time`, in completion order. */
  unbondingsDue(state: KVReader, time: bigint, limit: number): Array<{ watcher: string; delegator: string; time: bigint; amount: bigint }> {
    return s.unbonding.entries(state, { before: pad(time + 1n), limit }).map(([[t, watcher, delegator], amount]) => ({ watcher, delegator, time: t, amount: BigInt(amount) }));
  },
  /** Records an unbonding as genesis lists it (the amount's text as given). */
  setUnbonding(store: KVStore, time: bigint, watcher: string, del: string, amount: string): void {
    s.unbonding.set(store, [time, watcher, del], amount);
  },
  deleteUnbonding(store: KVStore, time: bigint, watcher: string, del: string): void {
    s.unbonding.delete(store, [time, watcher, del]);
  },

  /** Burns `fraction` of the stake behind a watcher and jails it. */
  slash(ctx: Context, addr: string, fraction: bigint, reason: string): bigint {
    const k = this.must(ctx.store, addr);
    const burned = (int(k.tokens) * (fraction > DEC_ONE ? DEC_ONE : fraction)) / DEC_ONE;
    if (burned > 0n) bankKeeper.burnFromModule(ctx, STAKE_POOL, [{ denom: this.denom(ctx.store), amount: burned }]);
    this.set(ctx.store, { ...k, tokens: (int(k.tokens) - burned).toString(), jailed: true, strikes: 0, slashes: k.slashes + 1n });
    ctx.events.emit("watcher_slashed", { watcher: addr, reason, burned: burned.toString(), fraction: fraction.toString() });
    return burned;
  },

  /** Credits `amount` (already in the reward account) to everyone staked behind a watcher. */
  creditReward(ctx: Context, addr: string, amount: bigint): void {
    const k = this.must(ctx.store, addr);
    this.set(ctx.store, { ...k, rewardPerShare: accumulate(int(k.rewardPerShare), amount, int(k.shares)).toString() });
  },

  getSnapshot(state: KVReader, epoch: bigint): WatcherSnapshot | undefined {
    return s.snapshots.get(state, epoch);
  },
  setSnapshot(store: KVStore, snap: WatcherSnapshot): void {
    s.snapshots.set(store, snap.epoch, snap);
  },

  setReport(store: KVStore, epoch: bigint, watcher: string, r: NodeReport): void {
    s.reports.set(store, [epoch, r.nodeId, watcher], r);
  },
  reportsFor(state: KVReader, epoch: bigint, node: bigint): Array<{ watcher: string; report: NodeReport }> {
    return s.reports.entries(state, { prefix: `${pad(epoch)}/${pad(node)}/` }).map(([[, , watcher], report]) => ({ watcher, report }));
  },
  /** Watchers that attested in an epoch with how many reports each (their workload). */
  attestedIn(state: KVReader, epoch: bigint): Array<{ watcher: string; reports: bigint }> {
    return s.attested.entries(state, { prefix: `${pad(epoch)}/` }).map(([[, watcher], reports]) => ({ watcher, reports }));
  },
  markAttested(store: KVStore, epoch: bigint, watcher: string, reports: number): void {
    s.attested.set(store, [epoch, watcher], BigInt(reports));
  },
  hasAttested: (state: KVReader, epoch: bigint, watcher: string) => s.attested.has(state, [epoch, watcher]),

  slashFraction: (state: KVReader) => decFromString(watcherKeeper.getParams(state).slashFraction),
};
