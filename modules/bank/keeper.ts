import { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { formatCoins, type Amount } from "../../chain/coins.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper } from "../auth/keeper.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankErrors } from "./errors.ts";
import { defaultBankParams } from "./params.ts";

const BALANCES = "bank/balances/";
const SUPPLY = "bank/supply/";
const METADATA = "bank/denom_metadata/";
const PARAMS = "bank/params";
const enc = new TextEncoder();
const dec = new TextDecoder();

const readInt = (raw: Uint8Array | undefined): bigint => (raw ? BigInt(dec.decode(raw)) : 0n);

/** State access of the bank module. Stateless: every call takes the store to use. */
export const bankKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(PARAMS);
    return raw ? Params.decode(raw) : defaultBankParams;
  },

  setParams(store: KVStore, params: Params): void {
    store.set(PARAMS, Params.encode(params).finish());
  },

  isSendEnabled(state: KVReader, denom: string): boolean {
    const p = this.getParams(state);
    return p.sendEnabled.find((e) => e.denom === denom)?.enabled ?? p.defaultSendEnabled;
  },

  getBalance(state: KVReader, address: string, denom: string): bigint {
    return readInt(state.get(`${BALANCES}${address}/${denom}`));
  },

  getAllBalances(state: KVReader, address: string): Amount[] {
    const prefix = `${BALANCES}${address}/`;
    return state.iterate(prefix).map(([k, v]) => ({ denom: k.slice(prefix.length), amount: readInt(v) }));
  },

  /** Every (address, balances) pair, by address. */
  allBalances(state: KVReader): Array<{ address: string; coins: Amount[] }> {
    const out: Array<{ address: string; coins: Amount[] }> = [];
    for (const [k, v] of state.iterate(BALANCES)) {
      const rest = k.slice(BALANCES.length);
      const slash = rest.indexOf("/");
      const address = rest.slice(0, slash);
      const amount = { denom: rest.slice(slash + 1), amount: readInt(v) };
      const last = out[out.length - 1];
      if (last && last.address === address) last.coins.push(amount);
      else out.push({ address, coins: [amount] });
    }
    return out;
  },

  setBalance(store: KVStore, address: string, denom: string, amount: bigint): void {
    const key = `${BALANCES}${address}/${denom}`;
    if (amount === 0n) store.delete(key);
    else store.set(key, enc.encode(amount.toString()));
  },

  getSupply(state: KVReader, denom: string): bigint {
    return readInt(state.get(SUPPLY + denom));
  },

  getTotalSupply(state: KVReader): Amount[] {
    return state.iterate(SUPPLY).map(([k, v]) => ({ denom: k.slice(SUPPLY.length), amount: readInt(v) }));
  },

  setSupply(store: KVStore, denom: string, amount: bigint): void {
    if (amount === 0n) store.delete(SUPPLY + denom);
    else store.set(SUPPLY + denom, enc.encode(amount.toString()));
  },

  getDenomMetadata(state: KVReader, denom: string): Metadata | undefined {
    const raw = state.get(METADATA + denom);
    return raw ? Metadata.decode(raw) : undefined;
  },

  allDenomMetadata(state: KVReader): Array<[string, Metadata]> {
    return state.iterate(METADATA).map(([k, v]) => [k.slice(METADATA.length), Metadata.decode(v)]);
  },

  setDenomMetadata(store: KVStore, metadata: Metadata): void {
    store.set(METADATA + metadata.base, Metadata.encode(metadata).finish());
  },

  subtractCoins(ctx: Context, address: string, amounts: readonly Amount[]): void {
    for (const a of amounts) {
      const balance = this.getBalance(ctx.store, address, a.denom);
      if (balance < a.amount) {
        throw sdkErrors.insufficientFunds.wrap(`spendable balance ${balance}${a.denom} is smaller than ${a.amount}${a.denom}`);
      }
      this.setBalance(ctx.store, address, a.denom, balance - a.amount);
    }
    ctx.events.emit("coin_spent", { spender: address, amount: formatCoins(amounts) });
  },

  addCoins(ctx: Context, address: string, amounts: readonly Amount[]): void {
    for (const a of amounts) this.setBalance(ctx.store, address, a.denom, this.getBalance(ctx.store, address, a.denom) + a.amount);
    ctx.events.emit("coin_received", { receiver: address, amount: formatCoins(amounts) });
  },

  /** Moves coins; creates the recipient's account if it has none (as the SDK does). */
  sendCoins(ctx: Context, from: string, to: string, amounts: readonly Amount[]): void {
    this.subtractCoins(ctx, from, amounts);
    this.addCoins(ctx, to, amounts);
    this.ensureAccount(ctx, to);
    ctx.events.emit("transfer", { recipient: to, sender: from, amount: formatCoins(amounts) });
  },

  /**
   * Refuses a tx's recipient that is a blocked module account (the SDK's BlockedAddr):
   * coins sent there would sit outside the books that module keeps.
   */
  requireReceivable(ctx: Context, address: string): void {
    if (ctx.hooks.isBlockedAddress(address)) throw sdkErrors.unauthorized.wrap(`${address} is not allowed to receive funds`);
  },

  /** A recipient without an account gets one (as the SDK does). */
  ensureAccount(ctx: Context, to: string): void {
    if (!authKeeper.getAccount(ctx.store, to)) authKeeper.createAccount(ctx.store, to);
  },

  sendFromAccountToModule(ctx: Context, from: string, module: string, amounts: readonly Amount[]): void {
    authKeeper.getOrCreateModuleAccount(ctx.store, module);
    this.sendCoins(ctx, from, moduleAddress(module), amounts);
  },

  /** Destroys coins held by a module account (slashing): balance and supply both drop. */
  burnFromModule(ctx: Context, module: string, amounts: readonly Amount[]): void {
    const address = moduleAddress(module);
    this.subtractCoins(ctx, address, amounts);
    for (const a of amounts) this.setSupply(ctx.store, a.denom, this.getSupply(ctx.store, a.denom) - a.amount);
    ctx.events.emit("burn", { burner: address, amount: formatCoins(amounts) });
  },

  checkSendEnabled(state: KVReader, amounts: readonly Amount[]): void {
    for (const a of amounts) {
      if (!this.isSendEnabled(state, a.denom)) throw bankErrors.sendDisabled.wrap(`${a.denom} transfers are currently disabled`);
    }
  },
};
