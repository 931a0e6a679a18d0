import { Content, Escrow, Params } from "../../proto/gen/aro/market/v1/market.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper, moduleAddress } from "../auth/keeper.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { stakingKeeper } from "../staking/keeper.ts";
import { storedCounter } from "../../chain/store/counter.ts";
import { marketErrors } from "./errors.ts";
import { ESCROW_POOL, keys } from "./keys.ts";
import { defaultMarketParams } from "./params.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY = new Uint8Array();
const int = (s: string) => (s ? BigInt(s) : 0n);
const emptyEscrow = (owner: string): Escrow => ({ owner, balance: "0", held: "0", deposited: "0", withdrawn: "0", paid: "0" });

/** State access of aro/market: escrows, prices and published content. */
export const marketKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultMarketParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },
  denom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  getEscrow(state: KVReader, owner: string): Escrow | undefined {
    const raw = state.get(keys.escrow(owner));
    return raw ? Escrow.decode(raw) : undefined;
  },
  setEscrow(store: KVStore, e: Escrow): void {
    store.set(keys.escrow(e.owner), Escrow.encode(e).finish());
  },
  allEscrows(state: KVReader): Escrow[] {
    return state.iterate(keys.escrows).map(([, raw]) => Escrow.decode(raw));
  },
  /** A customer: someone with an escrow that can still pay. */
  isPayingCustomer(state: KVReader, owner: string): boolean {
    const e = this.getEscrow(state, owner);
    return !!e && int(e.balance) > 0n;
  },

  deposit(ctx: Context, owner: string, amount: bigint): Escrow {
    authKeeper.getOrCreateModuleAccount(ctx.store, ESCROW_POOL);
    bankKeeper.sendFromAccountToModule(ctx, owner, ESCROW_POOL, [{ denom: this.denom(ctx.store), amount }]);
    const e = this.getEscrow(ctx.store, owner) ?? emptyEscrow(owner);
    const next = { ...e, balance: (int(e.balance) + amount).toString(), deposited: (int(e.deposited) + amount).toString() };
    this.setEscrow(ctx.store, next);
    return next;
  },

  withdraw(ctx: Context, owner: string, amount: bigint): Escrow {
    const e = this.getEscrow(ctx.store, owner);
    if (!e) throw marketErrors.noEscrow.wrap(owner);
    if (int(e.balance) < amount) throw marketErrors.insufficientEscrow.wrap(`${owner} has ${e.balance} unspent (${e.held} held for jobs), asked for ${amount}`);
    bankKeeper.sendCoins(ctx, moduleAddress(ESCROW_POOL), owner, [{ denom: this.denom(ctx.store), amount }]);
    const next = { ...e, balance: (int(e.balance) - amount).toString(), withdrawn: (int(e.withdrawn) + amount).toString() };
    this.setEscrow(ctx.store, next);
    return next;
  },

  /**
   * Pays up to `amount` from a customer's spendable escrow into module account `to`;
   * returns what was paid (less when the escrow runs dry).
   */
  charge(ctx: Context, owner: string, amount: bigint, to: string, reason: string): bigint {
    const e = this.getEscrow(ctx.store, owner);
    if (!e || amount <= 0n) return 0n;
    const paid = amount < int(e.balance) ? amount : int(e.balance);
    if (paid === 0n) return 0n;
    authKeeper.getOrCreateModuleAccount(ctx.store, to);
    bankKeeper.sendCoins(ctx, moduleAddress(ESCROW_POOL), moduleAddress(to), [{ denom: this.denom(ctx.store), amount: paid }]);
    this.setEscrow(ctx.store, { ...e, balance: (int(e.balance) - paid).toString(), paid: (int(e.paid) + paid).toString() });
    ctx.events.emit("escrow_charged", { owner, amount: paid.toString(), asked: amount.toString(), reason });
    return paid;
  },

  /** Reserves `amount` of the spendable balance (for a job). */
  hold(ctx: Context, owner: string, amount: bigint): void {
    const e = this.getEscrow(ctx.store, owner);
    if (!e) throw marketErrors.noEscrow.wrap(owner);
    if (int(e.balance) < amount) throw marketErrors.insufficientEscrow.wrap(`${owner} has ${e.balance} unspent, the job needs ${amount}`);
    this.setEscrow(ctx.store, { ...e, balance: (int(e.balance) - amount).toString(), held: (int(e.held) + amount).toString() });
  },

  /** Settles a hold: `spend` goes to module account `to`, the rest of `held` returns to the balance. */
  release(ctx: Context, owner: string, held: bigint, spend: bigint, to: string, reason: string): void {
    const e = this.getEscrow(ctx.store, owner)!;
    const paid = spend < held ? spend : held;
    if (paid > 0n) {
      authKeeper.getOrCreateModuleAccount(ctx.store, to);
      bankKeeper.sendCoins(ctx, moduleAddress(ESCROW_POOL), moduleAddress(to), [{ denom: this.denom(ctx.store), amount: paid }]);
      ctx.events.emit("escrow_charged", { owner, amount: paid.toString(), asked: spend.toString(), reason });
    }
    this.setEscrow(ctx.store, {
      ...e, held: (int(e.held) - held).toString(), balance: (int(e.balance) + held - paid).toString(), paid: (int(e.paid) + paid).toString(),
    });
  },

  contentIds: storedCounter(keys.nextContentId),
  getContent(state: KVReader, id: bigint): Content | undefined {
    const raw = state.get(keys.content(id));
    return raw ? Content.decode(raw) : undefined;
  },
  mustContent(state: KVReader, id: bigint): Content {
    const c = this.getContent(state, id);
    if (!c) throw marketErrors.contentNotFound.wrap(`content ${id}`);
    return c;
  },
  contentByRoot(state: KVReader, root: string): bigint | undefined {
    const raw = state.get(keys.contentByRoot(root));
    return raw ? BigInt(dec.decode(raw)) : undefined;
  },
  setContent(store: KVStore, c: Content): void {
    store.set(keys.content(c.id), Content.encode(c).finish());
    store.set(keys.contentByRoot(c.root), enc.encode(c.id.toString()));
    store.set(keys.byOwnerEntry(c.owner, c.id), EMPTY);
    for (const n of c.replicas) store.set(keys.replica(n, c.id), EMPTY);
  },
  allContents(state: KVReader): Content[] {
    return state.iterate(keys.contents).map(([, raw]) => Content.decode(raw));
  },
  contentsOf(state: KVReader, owner: string): Content[] {
    const prefix = keys.byOwner(owner);
    return state.iterate(prefix).map(([k]) => this.mustContent(state, BigInt(k.slice(prefix.length))));
  },
  /** Content ids a node holds a replica of. */
  replicasOf(state: KVReader, node: bigint): bigint[] {
    const prefix = keys.replicasOf(node);
    return state.iterate(prefix).map(([k]) => BigInt(k.slice(prefix.length)));
  },
};
