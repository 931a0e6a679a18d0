import {
  DelegatorStartingInfo, FeePool, Params, ValidatorAccumulatedCommission, ValidatorCurrentRewards,
  ValidatorHistoricalRewards, ValidatorOutstandingRewards, ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { decFromWire } from "../../chain/dec.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { Item, keys, Map, paramsItem, values, type ValueCodec } from "../../chain/store/collections.ts";
import { decCoins, type DecCoins } from "./dec-coins.ts";
import { defaultDistributionParams } from "./params.ts";

/** A validator's reward ratio summed over all its periods up to one (F1's "entry"), and how many records point at it. */
export interface HistoricalRewards { readonly ratio: DecCoins; readonly references: number }
/** Rewards of the validator's open period, not yet turned into a ratio. */
export interface CurrentRewards { readonly rewards: DecCoins; readonly period: bigint }
/** Where a delegation started earning: the period before it, its stake (18 decimals) and the height. */
export interface StartingInfo { readonly previousPeriod: bigint; readonly stake: bigint; readonly height: bigint }
export interface SlashEvent { readonly height: bigint; readonly period: bigint; readonly fraction: bigint }

/** A domain value stored as the SDK's wire message (`to` builds the message, `from` reads it). */
const wire = <T, W>(type: { encode(m: W): { finish(): Uint8Array }; decode(b: Uint8Array): W }, to: (v: T) => W, from: (w: W) => T): ValueCodec<T> =>
  ({ encode: (v) => type.encode(to(v)).finish(), decode: (b) => from(type.decode(b)) });

const str = keys.string;
/** The data model of x/distribution. Periods and heights are 20 padded digits so keys sort by them. */
const params = paramsItem("distribution/params", Params, defaultDistributionParams);
/** the community pool, as the SDK's FeePool */
const feePool = new Item("distribution/fee_pool", wire(FeePool, (pool: DecCoins) => ({ communityPool: decCoins.toWire(pool) }), (f) => decCoins.fromWire(f.communityPool)));
/** by delegator; absent when it withdraws to itself */
const withdrawAddrs = new Map("distribution/withdraw_addr/", str, values.string);
/** by validator */
const outstanding = new Map("distribution/outstanding/", str, wire(ValidatorOutstandingRewards, (r: DecCoins) => ({ rewards: decCoins.toWire(r) }), (w) => decCoins.fromWire(w.rewards)));
/** by validator */
const commission = new Map("distribution/commission/", str, wire(ValidatorAccumulatedCommission, (c: DecCoins) => ({ commission: decCoins.toWire(c) }), (w) => decCoins.fromWire(w.commission)));
/** by validator */
const current = new Map("distribution/current/", str, wire(ValidatorCurrentRewards,
  (c: CurrentRewards) => ({ rewards: decCoins.toWire(c.rewards), period: c.period }), (w) => ({ rewards: decCoins.fromWire(w.rewards), period: w.period })));
/** by (validator, period) */
const historical = new Map("distribution/historical/", keys.pair(str, keys.uint), wire(ValidatorHistoricalRewards,
  (h: HistoricalRewards) => ({ cumulativeRewardRatio: decCoins.toWire(h.ratio), referenceCount: h.references }),
  (w) => ({ ratio: decCoins.fromWire(w.cumulativeRewardRatio), references: w.referenceCount })));
/** by (validator, delegator) */
const starting = new Map("distribution/starting/", keys.pair(str, str), wire(DelegatorStartingInfo,
  (s: StartingInfo) => ({ previousPeriod: s.previousPeriod, stake: s.stake.toString(), height: s.height }),
  (w) => ({ previousPeriod: w.previousPeriod, stake: decFromWire(w.stake), height: w.height })));
/** by (validator, height, period) */
const slashes = new Map("distribution/slashes/", keys.triple(str, keys.uint, keys.uint), wire(ValidatorSlashEvent,
  (e: { period: bigint; fraction: bigint }) => ({ validatorPeriod: e.period, fraction: e.fraction.toString() }),
  (w) => ({ period: w.validatorPeriod, fraction: decFromWire(w.fraction) })));

/** State access of x/distribution. Stateless: every call takes the store to use. */
export const distributionKeeper = {
  getParams(state: KVReader): Params {
    return params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    params.set(store, p);
  },

  communityPool(state: KVReader): DecCoins {
    return feePool.get(state) ?? [];
  },
  setCommunityPool(store: KVStore, pool: DecCoins): void {
    feePool.set(store, pool);
  },

  /** Where a delegator's rewards (and an operator's commission) go: itself unless it set another address. */
  withdrawAddress(state: KVReader, del: string): string {
    return withdrawAddrs.get(state, del) ?? del;
  },
  setWithdrawAddress(store: KVStore, del: string, to: string): void {
    if (to === del) withdrawAddrs.delete(store, del);
    else withdrawAddrs.set(store, del, to);
  },
  allWithdrawAddresses(state: KVReader): Array<{ del: string; to: string }> {
    return withdrawAddrs.entries(state).map(([del, to]) => ({ del, to }));
  },

  outstanding(state: KVReader, val: string): DecCoins {
    return outstanding.get(state, val) ?? [];
  },
  setOutstanding(store: KVStore, val: string, rewards: DecCoins): void {
    outstanding.set(store, val, rewards);
  },
  hasValidatorRecords(state: KVReader, val: string): boolean {
    return current.has(state, val);
  },

  commission(state: KVReader, val: string): DecCoins {
    return commission.get(state, val) ?? [];
  },
  setCommission(store: KVStore, val: string, c: DecCoins): void {
    commission.set(store, val, c);
  },

  current(state: KVReader, val: string): CurrentRewards {
    return current.get(state, val) ?? { rewards: [], period: 1n };
  },
  setCurrent(store: KVStore, val: string, c: CurrentRewards): void {
    current.set(store, val, c);
  },

  historical(state: KVReader, val: string, period: bigint): HistoricalRewards | undefined {
    return historical.get(state, [val, period]);
  },
  setHistorical(store: KVStore, val: string, period: bigint, h: HistoricalRewards): void {
    historical.set(store, [val, period], h);
  },
  deleteHistorical(store: KVStore, val: string, period: bigint): void {
    historical.delete(store, [val, period]);
  },
  historicalOf(state: KVReader, val: string): Array<{ period: bigint; rewards: HistoricalRewards }> {
    return historical.entries(state, { prefix: `${val}/` }).map(([[, period], rewards]) => ({ period, rewards }));
  },

  startingInfo(state: KVReader, val: string, del: string): StartingInfo | undefined {
    return starting.get(state, [val, del]);
  },
  setStartingInfo(store: KVStore, val: string, del: string, s: StartingInfo): void {
    starting.set(store, [val, del], s);
  },
  deleteStartingInfo(store: KVStore, val: string, del: string): void {
    starting.delete(store, [val, del]);
  },
  startingInfosOf(state: KVReader, val: string): Array<{ del: string; info: StartingInfo }> {
    return starting.entries(state, { prefix: `${val}/` }).map(([[, del], info]) => ({ del, info }));
  },

  setSlashEvent(store: KVStore, val: string, e: SlashEvent): void {
    slashes.set(store, [val, e.height, e.period], e);
  },
  /** Slash events of a validator with from <= height <= to, oldest first. */
  slashEvents(state: KVReader, val: string, from = 0n, to?: bigint): SlashEvent[] {
    const range = { prefix: `${val}/`, before: to === undefined ? undefined : keys.uint.encode(to + 1n) };
    return slashes.entries(state, range).map(([[, height], e]) => ({ height, period: e.period, fraction: e.fraction })).filter((e) => e.height >= from);
  },

  /** Validators that have distribution records, in key order. */
  validatorsWithRecords(state: KVReader): string[] {
    return current.keys(state);
  },
};
