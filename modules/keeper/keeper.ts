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
import { keys, REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { defaultKeeperParams } from "./params.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY = new Uint8Array();
const int = (s: string) => (s ? BigInt(s) : 0n);
export const poolOf = (k: Keeper): Pool => ({ tokens: int(k.tokens), shares: int(k.shares) });

/** State access of aro/keeper. */
export const keeperKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultKeeperParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },
  denom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  get(state: KVReader, addr: string): Keeper | undefined {
    const raw = state.get(keys.keeper(addr));
    return raw ? Keeper.decode(raw) : undefined;
  },
  must(state: KVReader, addr: string): Keeper {
    const k = this.get(state, addr);
    if (!k) throw keeperErrors.keeperNotFound.wrap(addr);
    return k;
  },
  set(store: KVStore, k: Keeper): void {
    store.set(keys.keeper(k.address), Keeper.encode(k).finish());
  },
  all(state: KVReader): Keeper[] {
    return state.iterate(keys.keepers).map(([, raw]) => Keeper.decode(raw));
  },

  getDelegation(state: KVReader, keeper: string, del: string): KeeperDelegation | undefined {
    const raw = state.get(keys.delegation(keeper, del));
    return raw ? KeeperDelegation.decode(raw) : undefined;
  },
  setDelegation(store: KVStore, d: KeeperDelegation): void {
    if (int(d.shares) === 0n) {
      store.delete(keys.delegation(d.keeper, d.delegator));
      store.delete(keys.byDelegatorEntry(d.delegator, d.keeper));
      return;
    }
    store.set(keys.delegation(d.keeper, d.delegator), KeeperDelegation.encode(d).finish());
    store.set(keys.byDelegatorEntry(d.delegator, d.keeper), EMPTY);
  },
  delegationsTo(state: KVReader, keeper: string): KeeperDelegation[] {
    return state.iterate(keys.delegationsTo(keeper)).map(([, raw]) => KeeperDelegation.decode(raw));
  },
  allDelegations(state: KVReader): KeeperDelegation[] {
    return state.iterate(keys.delegationsAll).map(([, raw]) => KeeperDelegation.decode(raw));
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
    const key = keys.unbonding(done, keeper, del);
    const prev = ctx.store.get(key);
    ctx.store.set(key, enc.encode(((prev ? BigInt(dec.decode(prev)) : 0n) + amount).toString()));
    return done;
  },
  allUnbondings(state: KVReader): Array<{ keeper: string; delegator: string; time: bigint; amount: bigint }> {
    return state.iterate(keys.unbondingQueue).map(([key, v]) => {
      const [time, keeper, delegator] = key.slice(keys.unbondingQueue.length).split("/");
      return { keeper, delegator, time: BigInt(time), amount: BigInt(dec.decode(v)) };
    });
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
    const raw = state.get(keys.snapshot(epoch));
    return raw ? KeeperSnapshot.decode(raw) : undefined;
  },
  setSnapshot(store: KVStore, s: KeeperSnapshot): void {
    store.set(keys.snapshot(s.epoch), KeeperSnapshot.encode(s).finish());
  },

  setReport(store: KVStore, epoch: bigint, keeper: string, r: NodeReport): void {
    store.set(keys.report(epoch, r.nodeId, keeper), NodeReport.encode(r).finish());
  },
  reportsFor(state: KVReader, epoch: bigint, node: bigint): Array<{ keeper: string; report: NodeReport }> {
    const prefix = keys.reportsOf(epoch, node);
    return state.iterate(prefix).map(([key, raw]) => ({ keeper: key.slice(prefix.length), report: NodeReport.decode(raw) }));
  },
  /** Keepers that attested in an epoch with how many reports each (their workload). */
  attestedIn(state: KVReader, epoch: bigint): Array<{ keeper: string; reports: bigint }> {
    const prefix = keys.attestedIn(epoch);
    return state.iterate(prefix).map(([key, raw]) => ({ keeper: key.slice(prefix.length), reports: BigInt(dec.decode(raw)) }));
  },
  markAttested(store: KVStore, epoch: bigint, keeper: string, reports: number): void {
    store.set(keys.attested(epoch, keeper), enc.encode(reports.toString()));
  },
  hasAttested: (state: KVReader, epoch: bigint, keeper: string) => state.get(keys.attested(epoch, keeper)) !== undefined,

  slashFraction: (state: KVReader) => decFromString(keeperKeeper.getParams(state).slashFraction),
};
