import { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { formatCoins, type Amount } from "../../chain/coins.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { keys, Map, paramsItem, values } from "../../chain/store/collections.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankErrors } from "./errors.ts";
import { defaultBankParams } from "./params.ts";
import { authKeeper } from "./expected.ts";

/** The bank module's data model. */
const params = paramsItem("bank/params", Params, defaultBankParams);
/** balances by (address, denom); a zero balance is not stored */
const balances = new Map("bank/balances/", keys.pair(keys.string, keys.string), values.bigint);
/** total supply by denom; zero is not stored */
const supply = new Map("bank/supply/", keys.string, values.bigint);
const metadata = new Map("bank/denom_metadata/", keys.string, values.proto(Metadata));

/** State access of the bank module. Stateless: every call takes the store to use. */
export const bankKeeper = {
  getParams(state: KVReader): Params {
    return params.get(state);
  },

  setParams(store: KVStore, p: Params): void {
    params.set(store, p);
  },

  isSendEnabled(state: KVReader, denom: string): boolean {
    const p = this.getParams(state);
    return p.sendEnabled.find((e) => e.denom === denom)?.enabled ?? p.defaultSendEnabled;
  },

  getBalance(state: KVReader, address: string, denom: string): bigint {
    return balances.get(state, [address, denom]) ?? 0n;
  },

  getAllBalances(state: KVReader, address: string): Amount[] {
    return balances.entries(state, { prefix: `${address}/` }).map(([[, denom], amount]) => ({ denom, amount }));
  },

  /** Every (address, balances) pair, by address. */
  allBalances(state: KVReader): Array<{ address: string; coins: Amount[] }> {
    const out: Array<{ address: string; coins: Amount[] }> = [];
    for (const [[address, denom], amount] of balances.entries(state)) {
      const last = out[out.length - 1];
      if (last && last.address === address) last.coins.push({ denom, amount });
      else out.push({ address, coins: [{ denom, amount }] });
    }
    return out;
  },

  setBalance(store: KVStore, address: string, denom: string, amount: bigint): void {
    if (amount === 0n) balances.delete(store, [address, denom]);
    else balances.set(store, [address, denom], amount);
  },

  getSupply(state: KVReader, denom: string): bigint {
    return supply.get(state, denom) ?? 0n;
  },

  getTotalSupply(state: KVReader): Amount[] {
    return supply.entries(state).map(([denom, amount]) => ({ denom, amount }));
  },

  setSupply(store: KVStore, denom: string, amount: bigint): void {
    if (amount === 0n) supply.delete(store, denom);
    else supply.set(store, denom, amount);
  },

  getDenomMetadata(state: KVReader, denom: string): Metadata | undefined {
    return metadata.get(state, denom);
  },

  allDenomMetadata(state: KVReader): Array<[string, Metadata]> {
    return metadata.entries(state);
  },

  setDenomMetadata(store: KVStore, m: Metadata): void {
    metadata.set(store, m.base, m);
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
