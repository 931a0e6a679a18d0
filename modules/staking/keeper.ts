import { createHash } from "node:crypto";
import {
  BondStatus, Delegation, Params, Redelegation, UnbondingDelegation, Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { valoperToAccount } from "../../chain/address.ts";
import { decFromWire, DEC_ONE, mulDiv } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { stakingErrors } from "./errors.ts";
import { BONDED_POOL, keys, NOT_BONDED_POOL, POWER_REDUCTION } from "./keys.ts";
import { defaultStakingParams } from "./params.ts";
import { stakingHooks } from "./staking-hooks.ts";

export const ED25519_PUBKEY_TYPE = "/cosmos.crypto.ed25519.PubKey";
const EMPTY = new Uint8Array();

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
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultStakingParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },

  getValidator(state: KVReader, val: string): Validator | undefined {
    const raw = state.get(keys.validator(val));
    return raw ? Validator.decode(raw) : undefined;
  },
  mustValidator(state: KVReader, val: string): Validator {
    const v = this.getValidator(state, val);
    if (!v) throw stakingErrors.noValidatorFound.wrap(val);
    return v;
  },
  setValidator(store: KVStore, v: Validator): void {
    store.set(keys.validator(v.operatorAddress), Validator.encode(v).finish());
  },
  allValidators(state: KVReader): Validator[] {
    return state.iterate(keys.validators).map(([, raw]) => Validator.decode(raw));
  },
  validatorByConsAddress(state: KVReader, consHex: string): Validator | undefined {
    const raw = state.get(keys.byConsAddress(consHex));
    return raw ? this.getValidator(state, new TextDecoder().decode(raw)) : undefined;
  },
  /** The ed25519 consensus key of the validator with this CometBFT address (upper hex), if known. */
  consensusKeyByAddress(state: KVReader, consHex: string): Uint8Array | undefined {
    const v = this.validatorByConsAddress(state, consHex);
    return v ? consensusKey(v) : undefined;
  },
  setConsIndex(store: KVStore, v: Validator): void {
    store.set(keys.byConsAddress(consensusAddressHex(consensusKey(v))), new TextEncoder().encode(v.operatorAddress));
  },

  getDelegation(state: KVReader, del: string, val: string): Delegation | undefined {
    const raw = state.get(keys.delegation(del, val));
    return raw ? Delegation.decode(raw) : undefined;
  },
  setDelegation(store: KVStore, d: Delegation): void {
    if (decFromWire(d.shares) === 0n) {
      store.delete(keys.delegation(d.delegatorAddress, d.validatorAddress));
      store.delete(keys.delegationByVal(d.validatorAddress, d.delegatorAddress));
      return;
    }
    store.set(keys.delegation(d.delegatorAddress, d.validatorAddress), Delegation.encode(d).finish());
    store.set(keys.delegationByVal(d.validatorAddress, d.delegatorAddress), EMPTY);
  },
  delegationsOf(state: KVReader, del: string): Delegation[] {
    return state.iterate(keys.delegationsOf(del)).map(([, raw]) => Delegation.decode(raw));
  },
  delegationsTo(state: KVReader, val: string): Delegation[] {
    const prefix = keys.delegationsByVal(val);
    return state.iterate(prefix).map(([k]) => this.getDelegation(state, k.slice(prefix.length), val)!);
  },
  allDelegations(state: KVReader): Delegation[] {
    return state.iterate(keys.delegationsAll).map(([, raw]) => Delegation.decode(raw));
  },

  getUnbonding(state: KVReader, del: string, val: string): UnbondingDelegation | undefined {
    const raw = state.get(keys.unbonding(del, val));
    return raw ? UnbondingDelegation.decode(raw) : undefined;
  },
  setUnbonding(store: KVStore, u: UnbondingDelegation): void {
    if (u.entries.length === 0) {
      store.delete(keys.unbonding(u.delegatorAddress, u.validatorAddress));
      store.delete(keys.unbondingByVal(u.validatorAddress, u.delegatorAddress));
      return;
    }
    store.set(keys.unbonding(u.delegatorAddress, u.validatorAddress), UnbondingDelegation.encode(u).finish());
    store.set(keys.unbondingByVal(u.validatorAddress, u.delegatorAddress), EMPTY);
  },
  unbondingsOf(state: KVReader, del: string): UnbondingDelegation[] {
    return state.iterate(keys.unbondingsOf(del)).map(([, raw]) => UnbondingDelegation.decode(raw));
  },
  unbondingsFrom(state: KVReader, val: string): UnbondingDelegation[] {
    const prefix = keys.unbondingsByVal(val);
    return state.iterate(prefix).map(([k]) => this.getUnbonding(state, k.slice(prefix.length), val)!);
  },
  allUnbondings(state: KVReader): UnbondingDelegation[] {
    return state.iterate(keys.unbondingsAll).map(([, raw]) => UnbondingDelegation.decode(raw));
  },

  getRedelegation(state: KVReader, del: string, src: string, dst: string): Redelegation | undefined {
    const raw = state.get(keys.redelegation(del, src, dst));
    return raw ? Redelegation.decode(raw) : undefined;
  },
  setRedelegation(store: KVStore, r: Redelegation): void {
    const { delegatorAddress: d, validatorSrcAddress: s, validatorDstAddress: t } = r;
    if (r.entries.length === 0) {
      store.delete(keys.redelegation(d, s, t));
      store.delete(keys.redelegationBySrc(s, d, t));
      return;
    }
    store.set(keys.redelegation(d, s, t), Redelegation.encode(r).finish());
    store.set(keys.redelegationBySrc(s, d, t), EMPTY);
  },
  redelegationsOf(state: KVReader, del: string): Redelegation[] {
    return state.iterate(keys.redelegationsOf(del)).map(([, raw]) => Redelegation.decode(raw));
  },
  allRedelegations(state: KVReader): Redelegation[] {
    return state.iterate(keys.redelegationsAll).map(([, raw]) => Redelegation.decode(raw));
  },

  lastPower(state: KVReader, val: string): bigint {
    const raw = state.get(keys.lastPower(val));
    return raw ? BigInt(new TextDecoder().decode(raw)) : 0n;
  },
  lastPowers(state: KVReader): Array<{ val: string; power: bigint }> {
    return state.iterate(keys.lastPowers).map(([k, v]) => ({ val: k.slice(keys.lastPowers.length), power: BigInt(new TextDecoder().decode(v)) }));
  },
  setLastPower(store: KVStore, val: string, power: bigint): void {
    if (power === 0n) store.delete(keys.lastPower(val));
    else store.set(keys.lastPower(val), new TextEncoder().encode(power.toString()));
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
