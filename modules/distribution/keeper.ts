import {
  DelegatorStartingInfo, FeePool, Params, ValidatorAccumulatedCommission, ValidatorCurrentRewards,
  ValidatorHistoricalRewards, ValidatorOutstandingRewards, ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { decFromWire } from "../../chain/dec.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { decCoins, type DecCoins } from "./dec-coins.ts";
import { keys, pad } from "./keys.ts";
import { defaultDistributionParams } from "./params.ts";

/** A validator's reward ratio summed over all its periods up to one (F1's "entry"), and how many records point at it. */
export interface HistoricalRewards { readonly ratio: DecCoins; readonly references: number }
/** Rewards of the validator's open period, not yet turned into a ratio. */
export interface CurrentRewards { readonly rewards: DecCoins; readonly period: bigint }
/** Where a delegation started earning: the period before it, its stake (18 decimals) and the height. */
export interface StartingInfo { readonly previousPeriod: bigint; readonly stake: bigint; readonly height: bigint }
export interface SlashEvent { readonly height: bigint; readonly period: bigint; readonly fraction: bigint }

const enc = new TextEncoder();
const dec = new TextDecoder();

/** State access of x/distribution. Stateless: every call takes the store to use. */
export const distributionKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultDistributionParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },

  communityPool(state: KVReader): DecCoins {
    const raw = state.get(keys.feePool);
    return raw ? decCoins.fromWire(FeePool.decode(raw).communityPool) : [];
  },
  setCommunityPool(store: KVStore, pool: DecCoins): void {
    store.set(keys.feePool, FeePool.encode({ communityPool: decCoins.toWire(pool) }).finish());
  },

  /** Where a delegator's rewards (and an operator's commission) go: itself unless it set another address. */
  withdrawAddress(state: KVReader, del: string): string {
    const raw = state.get(keys.withdrawAddr(del));
    return raw ? dec.decode(raw) : del;
  },
  setWithdrawAddress(store: KVStore, del: string, to: string): void {
    if (to === del) store.delete(keys.withdrawAddr(del));
    else store.set(keys.withdrawAddr(del), enc.encode(to));
  },
  allWithdrawAddresses(state: KVReader): Array<{ del: string; to: string }> {
    return state.iterate(keys.withdrawAddrs).map(([k, v]) => ({ del: k.slice(keys.withdrawAddrs.length), to: dec.decode(v) }));
  },

  outstanding(state: KVReader, val: string): DecCoins {
    const raw = state.get(keys.outstanding(val));
    return raw ? decCoins.fromWire(ValidatorOutstandingRewards.decode(raw).rewards) : [];
  },
  setOutstanding(store: KVStore, val: string, rewards: DecCoins): void {
    store.set(keys.outstanding(val), ValidatorOutstandingRewards.encode({ rewards: decCoins.toWire(rewards) }).finish());
  },
  hasValidatorRecords(state: KVReader, val: string): boolean {
    return state.get(keys.current(val)) !== undefined;
  },

  commission(state: KVReader, val: string): DecCoins {
    const raw = state.get(keys.commission(val));
    return raw ? decCoins.fromWire(ValidatorAccumulatedCommission.decode(raw).commission) : [];
  },
  setCommission(store: KVStore, val: string, commission: DecCoins): void {
    store.set(keys.commission(val), ValidatorAccumulatedCommission.encode({ commission: decCoins.toWire(commission) }).finish());
  },

  current(state: KVReader, val: string): CurrentRewards {
    const raw = state.get(keys.current(val));
    if (!raw) return { rewards: [], period: 1n };
    const c = ValidatorCurrentRewards.decode(raw);
    return { rewards: decCoins.fromWire(c.rewards), period: c.period };
  },
  setCurrent(store: KVStore, val: string, c: CurrentRewards): void {
    store.set(keys.current(val), ValidatorCurrentRewards.encode({ rewards: decCoins.toWire(c.rewards), period: c.period }).finish());
  },

  historical(state: KVReader, val: string, period: bigint): HistoricalRewards | undefined {
    const raw = state.get(keys.historical(val, period));
    if (!raw) return undefined;
    const h = ValidatorHistoricalRewards.decode(raw);
    return { ratio: decCoins.fromWire(h.cumulativeRewardRatio), references: h.referenceCount };
  },
  setHistorical(store: KVStore, val: string, period: bigint, h: HistoricalRewards): void {
    store.set(keys.historical(val, period), ValidatorHistoricalRewards.encode({ cumulativeRewardRatio: decCoins.toWire(h.ratio), referenceCount: h.references }).finish());
  },
  deleteHistorical(store: KVStore, val: string, period: bigint): void {
    store.delete(keys.historical(val, period));
  },
  historicalOf(state: KVReader, val: string): Array<{ period: bigint; rewards: HistoricalRewards }> {
    const prefix = keys.historicalOf(val);
    return state.iterate(prefix).map(([k, raw]) => {
      const h = ValidatorHistoricalRewards.decode(raw);
      return { period: BigInt(k.slice(prefix.length)), rewards: { ratio: decCoins.fromWire(h.cumulativeRewardRatio), references: h.referenceCount } };
    });
  },

  startingInfo(state: KVReader, val: string, del: string): StartingInfo | undefined {
    const raw = state.get(keys.starting(val, del));
    if (!raw) return undefined;
    const s = DelegatorStartingInfo.decode(raw);
    return { previousPeriod: s.previousPeriod, stake: decFromWire(s.stake), height: s.height };
  },
  setStartingInfo(store: KVStore, val: string, del: string, s: StartingInfo): void {
    store.set(keys.starting(val, del), DelegatorStartingInfo.encode({ previousPeriod: s.previousPeriod, stake: s.stake.toString(), height: s.height }).finish());
  },
  deleteStartingInfo(store: KVStore, val: string, del: string): void {
    store.delete(keys.starting(val, del));
  },
  startingInfosOf(state: KVReader, val: string): Array<{ del: string; info: StartingInfo }> {
    const prefix = keys.startingOf(val);
    return state.iterate(prefix).map(([k]) => ({ del: k.slice(prefix.length), info: this.startingInfo(state, val, k.slice(prefix.length))! }));
  },

  setSlashEvent(store: KVStore, val: string, e: SlashEvent): void {
    store.set(keys.slash(val, e.height, e.period), ValidatorSlashEvent.encode({ validatorPeriod: e.period, fraction: e.fraction.toString() }).finish());
  },
  /** Slash events of a validator with from <= height <= to, oldest first. */
  slashEvents(state: KVReader, val: string, from = 0n, to?: bigint): SlashEvent[] {
    const prefix = keys.slashesOf(val);
    const end = to === undefined ? undefined : prefix + pad(to + 1n);
    return state.iterate(prefix, end).map(([k, raw]) => {
      const e = ValidatorSlashEvent.decode(raw);
      return { height: BigInt(k.slice(prefix.length, prefix.length + 20)), period: e.validatorPeriod, fraction: decFromWire(e.fraction) };
    }).filter((e) => e.height >= from);
  },

  /** Validators that have distribution records, in key order. */
  validatorsWithRecords(state: KVReader): string[] {
    return state.iterate(keys.currentAll).map(([k]) => k.slice(keys.currentAll.length));
  },
};
