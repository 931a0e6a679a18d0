import { createHash } from "node:crypto";
import {
  BondStatus, Delegation, HistoricalInfo, Params, Redelegation, UnbondingDelegation, Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { valoperToAccount } from "../../chain/address.ts";
import { decFromWire, DEC_ONE, mulDiv } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { KeySet, keys, Map, paramsItem, values } from "../../chain/store/collections.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { stakingErrors } from "./errors.ts";
import { BONDED_POOL, NOT_BONDED_POOL, POWER_REDUCTION } from "./keys.ts";
import { defaultStakingParams } from "./params.ts";
import { stakingHooks } from "./staking-hooks.ts";
import { bankKeeper } from "./expected.ts";

export const ED25519_PUBKEY_TYPE = "/cosmos.crypto.ed25519.PubKey";

const str = keys.string;
/**
 * The data model of x/staking. Times are seconds, heights are block heights, both as 20
 * padded digits so the queues and the history sort by them.
 */
export const stakingStore = {
  params: paramsItem("staking/params", Params, defaultStakingParams),
  validators: new Map("staking/validators/", str, values.proto(Validator)),
  /** operator address by CometBFT consensus address (upper hex) */
  byConsAddress: new Map("staking/by_cons/", str, values.string),
  /** by (delegator, validator) */
  delegations: new Map("staking/delegations/", keys.pair(str, str), values.proto(Delegation)),
  /** (validator, delegator) */
  delegationsByVal: new KeySet("staking/delegations_by_val/", keys.pair(str, str)),
  /** by (delegator, validator) */
  unbondings: new Map("staking/unbonding/", keys.pair(str, str), values.proto(UnbondingDelegation)),
  /** (validator, delegator) */
  unbondingsByVal: new KeySet("staking/unbonding_by_val/", keys.pair(str, str)),
  /** (completion time, delegator, validator) */
  unbondingQueue: new KeySet("staking/unbonding_queue/", keys.triple(keys.uint, str, str)),
  /** by (delegator, source, destination) */
  redelegations: new Map("staking/redelegations/", keys.triple(str, str, str), values.proto(Redelegation)),
  /** (source, delegator, destination) */
  redelegationsBySrc: new KeySet("staking/redelegations_by_src/", keys.triple(str, str, str)),
  /** (completion time, delegator, [source, destination]) */
  redelegationQueue: new KeySet("staking/redelegation_queue/", keys.triple(keys.uint, str, keys.pair(str, str))),
  /** (unbonding end time, validator) */
  validatorQueue: new KeySet("staking/validator_queue/", keys.pair(keys.uint, str)),
  /** last CometBFT power by validator; zero is not stored */
  lastPowers: new Map("staking/last_power/", str, values.bigint),
  /** by height */
  historical: new Map("staking/historical/", keys.uint, values.proto(HistoricalInfo)),
};
const st = stakingStore;
/** A queue's range of entries due at `now` (time at or before it). */
export const dueBy = (now: bigint) => ({ before: keys.uint.encode(now + 1n) });

/** The 32-byte ed25519 consensus key of a validator. */
export function consensusKey(v: Validator): Uint8Array {
  if (!v.consensusPubkey || v.consensusPubkey.typeUrl !== ED25519_PUBKEY_TYPE) throw stakingErrors.validatorPubKeyTypeNotSupported.wrap(v.operatorAddress);
  return Ed25519PubKey.decode(v.consensusPubkey.value).key;
}

/** CometBFT's validator address: sha256(pubkey)[:20], upper hex. */
export function consensusAddressHex(pubkey: Uint8Array): string {
  return createHash("sha256").update(pubkey).digest().subarray(0, 20).toString("hex").toUpperCase();
}

export const tokensOf = (v: Validator): bigint => BigInt(v.tokens || "0");
export const sharesOf = (v: Validator): bigint => decFromWire(v.delegatorShares);
export const powerOf = (v: Validator): bigint => tokensOf(v) / POWER_REDUCTION;

/** State access of x/staking. Stateless: every call takes the store (or context) to use. */
export const stakingKeeper = {
  getParams(state: KVReader): Params {
    return st.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    st.params.set(store, p);
  },

  getValidator(state: KVReader, val: string): Validator | undefined {
    return st.validators.get(state, val);
  },
  mustValidator(state: KVReader, val: string): Validator {
    return st.validators.must(state, val, () => stakingErrors.noValidatorFound.wrap(val));
  },
  setValidator(store: KVStore, v: Validator): void {
    st.validators.set(store, v.operatorAddress, v);
  },
  allValidators(state: KVReader): Validator[] {
    return st.validators.values(state);
  },
  validatorByConsAddress(state: KVReader, consHex: string): Validator | undefined {
    const val = st.byConsAddress.get(state, consHex);
    return val !== undefined ? this.getValidator(state, val) : undefined;
  },
  /** The ed25519 consensus key of the validator with this CometBFT address (upper hex), if known. */
  consensusKeyByAddress(state: KVReader, consHex: string): Uint8Array | undefined {
    const v = this.validatorByConsAddress(state, consHex);
    return v ? consensusKey(v) : undefined;
  },
  setConsIndex(store: KVStore, v: Validator): void {
    st.byConsAddress.set(store, consensusAddressHex(consensusKey(v)), v.operatorAddress);
  },

  getDelegation(state: KVReader, del: string, val: string): Delegation | undefined {
    return st.delegations.get(state, [del, val]);
  },
  setDelegation(store: KVStore, d: Delegation): void {
    if (decFromWire(d.shares) === 0n) {
      st.delegations.delete(store, [d.delegatorAddress, d.validatorAddress]);
      st.delegationsByVal.remove(store, [d.validatorAddress, d.delegatorAddress]);
      return;
    }
    st.delegations.set(store, [d.delegatorAddress, d.validatorAddress], d);
    st.delegationsByVal.add(store, [d.validatorAddress, d.delegatorAddress]);
  },
  delegationsOf(state: KVReader, del: string): Delegation[] {
    return st.delegations.values(state, { prefix: `${del}/` });
  },
  delegationsTo(state: KVReader, val: string): Delegation[] {
    return st.delegationsByVal.keys(state, { prefix: `${val}/` }).map(([, del]) => this.getDelegation(state, del, val)!);
  },
  allDelegations(state: KVReader): Delegation[] {
    return st.delegations.values(state);
  },

  getUnbonding(state: KVReader, del: string, val: string): UnbondingDelegation | undefined {
    return st.unbondings.get(state, [del, val]);
  },
  setUnbonding(store: KVStore, u: UnbondingDelegation): void {
    if (u.entries.length === 0) {
      st.unbondings.delete(store, [u.delegatorAddress, u.validatorAddress]);
      st.unbondingsByVal.remove(store, [u.validatorAddress, u.delegatorAddress]);
      return;
    }
    st.unbondings.set(store, [u.delegatorAddress, u.validatorAddress], u);
    st.unbondingsByVal.add(store, [u.validatorAddress, u.delegatorAddress]);
  },
  unbondingsOf(state: KVReader, del: string): UnbondingDelegation[] {
    return st.unbondings.values(state, { prefix: `${del}/` });
  },
  unbondingsFrom(state: KVReader, val: string): UnbondingDelegation[] {
    return st.unbondingsByVal.keys(state, { prefix: `${val}/` }).map(([, del]) => this.getUnbonding(state, del, val)!);
  },
  allUnbondings(state: KVReader): UnbondingDelegation[] {
    return st.unbondings.values(state);
  },

  getRedelegation(state: KVReader, del: string, src: string, dst: string): Redelegation | undefined {
    return st.redelegations.get(state, [del, src, dst]);
  },
  setRedelegation(store: KVStore, r: Redelegation): void {
    const { delegatorAddress: d, validatorSrcAddress: s, validatorDstAddress: t } = r;
    if (r.entries.length === 0) {
      st.redelegations.delete(store, [d, s, t]);
      st.redelegationsBySrc.remove(store, [s, d, t]);
      return;
    }
    st.redelegations.set(store, [d, s, t], r);
    st.redelegationsBySrc.add(store, [s, d, t]);
  },
  redelegationsOf(state: KVReader, del: string): Redelegation[] {
    return st.redelegations.values(state, { prefix: `${del}/` });
  },
  allRedelegations(state: KVReader): Redelegation[] {
    return st.redelegations.values(state);
  },

  lastPower(state: KVReader, val: string): bigint {
    return st.lastPowers.get(state, val) ?? 0n;
  },
  lastPowers(state: KVReader): Array<{ val: string; power: bigint }> {
    return st.lastPowers.entries(state).map(([val, power]) => ({ val, power }));
  },
  setLastPower(store: KVStore, val: string, power: bigint): void {
    if (power === 0n) st.lastPowers.delete(store, val);
    else st.lastPowers.set(store, val, power);
  },

  poolOf(v: Validator): string {
    return v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL;
  },

  /** Moves tokens between the bonded and not-bonded pool module accounts. */
  movePool(ctx: Context, from: string, to: string, amount: bigint): void {
    if (from === to || amount === 0n) return;
    const denom = this.getParams(ctx.store).bondDenom;
    bankKeeper.sendCoins(ctx, moduleAddress(from), moduleAddress(to), [{ denom, amount }]);
  },

  /** Adds tokens to a validator and returns the shares they buy (1:1 for the first delegation). */
  addTokens(v: Validator, amount: bigint): { validator: Validator; shares: bigint } {
    const tokens = tokensOf(v);
    const total = sharesOf(v);
    if (tokens === 0n && total > 0n) throw stakingErrors.delegatorShareExRateInvalid.wrap(v.operatorAddress);
    const shares = total === 0n ? amount * DEC_ONE : mulDiv(amount, total, tokens);
    return { validator: { ...v, tokens: (tokens + amount).toString(), delegatorShares: (total + shares).toString() }, shares };
  },

  /** Removes shares from a validator and returns the tokens they were worth (rounded down). */
  removeShares(v: Validator, shares: bigint): { validator: Validator; tokens: bigint } {
    const tokens = tokensOf(v);
    const total = sharesOf(v);
    const out = shares === total ? tokens : mulDiv(shares, tokens, total);
    return { validator: { ...v, tokens: (tokens - out).toString(), delegatorShares: (total - shares).toString() }, tokens: out };
  },

  /** Tokens a number of shares is worth now. */
  tokensFromShares(v: Validator, shares: bigint): bigint {
    const total = sharesOf(v);
    return total === 0n ? 0n : mulDiv(shares, tokensOf(v), total);
  },

  /** Shares that `amount` tokens correspond to (rounded up, so undelegating never takes more than owned). */
  sharesFromTokens(v: Validator, amount: bigint): bigint {
    const tokens = tokensOf(v);
    if (tokens === 0n) throw stakingErrors.insufficientShares.wrap(`validator ${v.operatorAddress} has no tokens`);
    return (amount * sharesOf(v) + tokens - 1n) / tokens;
  },

  /** Delegates coins from an account: coins go to the validator's pool, shares to the delegation. */
  delegate(ctx: Context, del: string, val: string, amount: bigint): bigint {
    const v = this.mustValidator(ctx.store, val);
    const denom = this.getParams(ctx.store).bondDenom;
    bankKeeper.sendFromAccountToModule(ctx, del, this.poolOf(v), [{ denom, amount }]);
    return this.addDelegationShares(ctx, del, v, amount);
  },

  /** Adds tokens already in the validator's pool to (del, val) and returns the new shares. */
  addDelegationShares(ctx: Context, del: string, v: Validator, amount: bigint): bigint {
    const hooks = stakingHooks(ctx);
    const existing = this.getDelegation(ctx.store, del, v.operatorAddress);
    if (existing) hooks.beforeDelegationSharesModified(ctx, del, v.operatorAddress);
    else hooks.beforeDelegationCreated(ctx, del, v.operatorAddress);
    const { validator, shares } = this.addTokens(this.mustValidator(ctx.store, v.operatorAddress), amount);
    this.setValidator(ctx.store, validator);
    const d = existing ?? { delegatorAddress: del, validatorAddress: v.operatorAddress, shares: "0" };
    this.setDelegation(ctx.store, { ...d, shares: (decFromWire(d.shares) + shares).toString() });
    hooks.afterDelegationModified(ctx, del, v.operatorAddress);
    return shares;
  },

  /** Self-delegated tokens of a validator (its operator's own stake). */
  selfDelegationTokens(state: KVReader, v: Validator): bigint {
    const d = this.getDelegation(state, valoperToAccount(v.operatorAddress), v.operatorAddress);
    return d ? this.tokensFromShares(v, decFromWire(d.shares)) : 0n;
  },
};
