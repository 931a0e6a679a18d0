import { Allotment, Content, Escrow, Params } from "../../proto/gen/aro/market/v1/market.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { marketErrors } from "./errors.ts";
import { ESCROW_POOL, pad, WITHDRAWALS_PER_BLOCK } from "./keys.ts";
import { marketStore } from "./store.ts";
import { authKeeper, bankKeeper, stakingKeeper } from "./expected.ts";

const s = marketStore;
const int = (s: string) => (s ? BigInt(s) : 0n);
const emptyEscrow = (owner: string): Escrow => ({ owner, balance: "0", held: "0", deposited: "0", withdrawn: "0", paid: "0", withdrawing: "0", allotted: "0" });

/** State access of aro/market: escrows, prices and published content. */
export const marketKeeper = {
  getParams(state: KVReader): Params {
    return s.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    s.params.set(store, p);
  },
  denom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  getEscrow(state: KVReader, owner: string): Escrow | undefined {
    return s.escrows.get(state, owner);
  },
  setEscrow(store: KVStore, e: Escrow): void {
    s.escrows.set(store, e.owner, e);
  },
  allEscrows(state: KVReader): Escrow[] {
    return s.escrows.values(state);
  },

  deposit(ctx: Context, owner: string, amount: bigint): Escrow {
    authKeeper.getOrCreateModuleAccount(ctx.store, ESCROW_POOL);
    bankKeeper.sendFromAccountToModule(ctx, owner, ESCROW_POOL, [{ denom: this.denom(ctx.store), amount }]);
    const e = this.getEscrow(ctx.store, owner) ?? emptyEscrow(owner);
    const next = { ...e, balance: (int(e.balance) + amount).toString(), deposited: (int(e.deposited) + amount).toString() };
    this.setEscrow(ctx.store, next);
    return next;
  },

  /**
   * Moves `amount` of the spendable balance to `withdrawing`, paid out at the end of block
   * `unlock`: until then it can still be charged for work already done (receipts signed,
   * storage proven), so a customer cannot withdraw ahead of the charge.
   */
  requestWithdrawal(ctx: Context, owner: string, amount: bigint, unlock: bigint): Escrow {
    const e = this.getEscrow(ctx.store, owner);
    if (!e) throw marketErrors.noEscrow.wrap(owner);
    if (int(e.balance) < amount) throw marketErrors.insufficientEscrow.wrap(`${owner} has ${e.balance} unspent (${e.held} held for jobs and claims, ${e.withdrawing || "0"} already being withdrawn), asked for ${amount}`);
    const next = { ...e, balance: (int(e.balance) - amount).toString(), withdrawing: (int(e.withdrawing) + amount).toString() };
    this.setEscrow(ctx.store, next);
    s.withdrawals.set(ctx.store, [unlock, owner], (int(s.withdrawals.get(ctx.store, [unlock, owner]) ?? "") + amount).toString());
    return next;
  },

  /** End block: pays the withdrawals whose unlock height has come (what charges left of them), at most WITHDRAWALS_PER_BLOCK. */
  completeWithdrawals(ctx: Context): void {
    const due = s.withdrawals.entries(ctx.store, { before: `${pad(ctx.block.height + 1n)}/`, limit: WITHDRAWALS_PER_BLOCK });
    for (const [key, text] of due) {
      s.withdrawals.delete(ctx.store, key);
      const [, owner] = key;
      const e = this.getEscrow(ctx.store, owner);
      if (!e) continue;
      const asked = int(text);
      const amount = asked < int(e.withdrawing) ? asked : int(e.withdrawing);
      if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(ESCROW_POOL), owner, [{ denom: this.denom(ctx.store), amount }]);
      this.setEscrow(ctx.store, { ...e, withdrawing: (int(e.withdrawing) - amount).toString(), withdrawn: (int(e.withdrawn) + amount).toString() });
      ctx.events.emit("escrow_withdrawn", { owner, amount: amount.toString(), asked: asked.toString() });
    }
  },

  /**
   * Pays up to `amount` from a customer's spendable escrow into module account `to`;
   * returns what was paid (less when the escrow runs dry).
   */
  charge(ctx: Context, owner: string, amount: bigint, to: string, reason: string): bigint {
    const e = this.getEscrow(ctx.store, owner);
    if (!e || amount <= 0n) return 0n;
    const { paid, rest } = this.draw(e, amount);
    if (paid === 0n) return 0n;
    authKeeper.getOrCreateModuleAccount(ctx.store, to);
    bankKeeper.sendCoins(ctx, moduleAddress(ESCROW_POOL), moduleAddress(to), [{ denom: this.denom(ctx.store), amount: paid }]);
    this.setEscrow(ctx.store, { ...rest, paid: (int(e.paid) + paid).toString() });
    ctx.events.emit("escrow_charged", { owner, amount: paid.toString(), asked: amount.toString(), reason });
    return paid;
  },

  /** Takes up to `amount` from the spendable balance, then from what is being withdrawn (still chargeable). */
  draw(e: Escrow, amount: bigint): { paid: bigint; rest: Escrow } {
    const balance = int(e.balance);
    const withdrawing = int(e.withdrawing);
    const fromBalance = amount < balance ? amount : balance;
    const left = amount - fromBalance;
    const fromWithdrawing = left < withdrawing ? left : withdrawing;
    return {
      paid: fromBalance + fromWithdrawing,
      rest: { ...e, balance: (balance - fromBalance).toString(), withdrawing: (withdrawing - fromWithdrawing).toString() },
    };
  },

  /** Reserves up to `amount` for work already done (a delivery claim): from the balance, then from what is being withdrawn. Returns what it held. */
  holdForWork(ctx: Context, owner: string, amount: bigint): bigint {
    const e = this.getEscrow(ctx.store, owner);
    if (!e || amount <= 0n) return 0n;
    const { paid, rest } = this.draw(e, amount);
    if (paid > 0n) this.setEscrow(ctx.store, { ...rest, held: (int(e.held) + paid).toString() });
    return paid;
  },

  /**
   * Reserves up to `amount` for node `node`'s delivery claim: first from what the customer
   * allotted to that node (its amount, then what is thawing, both drawable by this node
   * alone), then, unguaranteed, from the rest of the escrow (holdForWork). Returns what it held.
   */
  holdForNode(ctx: Context, owner: string, node: bigint, amount: bigint): bigint {
    if (amount <= 0n) return 0n;
    const a = this.getAllotment(ctx.store, owner, node);
    let fromLane = 0n;
    if (a) {
      const [lane, thawing] = [int(a.amount), int(a.thawing)];
      const fromAmount = amount < lane ? amount : lane;
      const left = amount - fromAmount;
      const fromThawing = left < thawing ? left : thawing;
      fromLane = fromAmount + fromThawing;
      if (fromLane > 0n) {
        this.setAllotment(ctx.store, { ...a, amount: (lane - fromAmount).toString(), thawing: (thawing - fromThawing).toString() });
        const e = this.getEscrow(ctx.store, owner)!;
        this.setEscrow(ctx.store, { ...e, allotted: (int(e.allotted) - fromLane).toString(), held: (int(e.held) + fromLane).toString() });
      }
    }
    return fromLane + this.holdForWork(ctx, owner, amount - fromLane);
  },

  getAllotment(state: KVReader, owner: string, node: bigint): Allotment | undefined {
    return s.allotments.get(state, [owner, node]);
  },
  setAllotment(store: KVStore, a: Allotment): void {
    if (int(a.amount) === 0n && int(a.thawing) === 0n) s.allotments.delete(store, [a.owner, a.nodeId]);
    else s.allotments.set(store, [a.owner, a.nodeId], a);
  },
  allAllotments(state: KVReader): Allotment[] {
    return s.allotments.values(state);
  },
  allThaws(state: KVReader): Array<{ owner: string; nodeId: bigint; amount: string; unlockHeight: bigint }> {
    return s.thaws.entries(state).map(([[unlock, owner, node], amount]) => ({ owner, nodeId: node, amount, unlockHeight: unlock }));
  },
  addThaw(store: KVStore, unlock: bigint, owner: string, node: bigint, amount: bigint): void {
    s.thaws.set(store, [unlock, owner, node], (int(s.thaws.get(store, [unlock, owner, node]) ?? "") + amount).toString());
  },

  /** Moves `amount` of the spendable balance into the owner's allotment to `node`. */
  allot(ctx: Context, owner: string, node: bigint, amount: bigint): Allotment {
    const e = this.getEscrow(ctx.store, owner);
    if (!e) throw marketErrors.noEscrow.wrap(owner);
    if (int(e.balance) < amount) throw marketErrors.insufficientEscrow.wrap(`${owner} has ${e.balance} unspent, asked to allot ${amount} to node ${node}`);
    this.setEscrow(ctx.store, { ...e, balance: (int(e.balance) - amount).toString(), allotted: (int(e.allotted) + amount).toString() });
    const a = this.getAllotment(ctx.store, owner, node) ?? { owner, nodeId: node, amount: "0", thawing: "0" };
    const next = { ...a, amount: (int(a.amount) + amount).toString() };
    this.setAllotment(ctx.store, next);
    return next;
  },

  /**
   * Takes `amount` of an allotment back: it thaws until `unlock` (the node's claims can
   * still draw it, so a node is paid for receipts it accepted before the owner changed its
   * mind), then returns to the balance.
   */
  unallot(ctx: Context, owner: string, node: bigint, amount: bigint, unlock: bigint): Allotment {
    const a = this.getAllotment(ctx.store, owner, node);
    if (!a || int(a.amount) < amount) throw marketErrors.insufficientAllotment.wrap(`${owner} allotted ${a?.amount || "0"} to node ${node} (${a?.thawing || "0"} already thawing), asked for ${amount}`);
    const next = { ...a, amount: (int(a.amount) - amount).toString(), thawing: (int(a.thawing) + amount).toString() };
    this.setAllotment(ctx.store, next);
    this.addThaw(ctx.store, unlock, owner, node, amount);
    return next;
  },

  /** End block: thawed allotments whose unlock height has come return to the balance (what claims left of them), at most WITHDRAWALS_PER_BLOCK. */
  completeThaws(ctx: Context): void {
    const due = s.thaws.entries(ctx.store, { before: pad(ctx.block.height + 1n), limit: WITHDRAWALS_PER_BLOCK });
    for (const [key, text] of due) {
      s.thaws.delete(ctx.store, key);
      const [, owner, node] = key;
      const a = this.getAllotment(ctx.store, owner, node);
      if (!a) continue;
      const asked = int(text);
      const back = asked < int(a.thawing) ? asked : int(a.thawing);
      this.setAllotment(ctx.store, { ...a, thawing: (int(a.thawing) - back).toString() });
      const e = this.getEscrow(ctx.store, owner)!;
      this.setEscrow(ctx.store, { ...e, allotted: (int(e.allotted) - back).toString(), balance: (int(e.balance) + back).toString() });
      ctx.events.emit("allotment_returned", { owner, node_id: node.toString(), amount: back.toString(), asked: asked.toString() });
    }
  },

  /** Reserves `amount` of the spendable balance (for a job, or a content's storage term). */
  hold(ctx: Context, owner: string, amount: bigint, what = "the job"): void {
    const e = this.getEscrow(ctx.store, owner);
    if (!e) throw marketErrors.noEscrow.wrap(owner);
    if (int(e.balance) < amount) throw marketErrors.insufficientEscrow.wrap(`${owner} has ${e.balance} unspent, ${what} needs ${amount}`);
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

  contentIds: s.nextContentId,
  getContent(state: KVReader, id: bigint): Content | undefined {
    return s.contents.get(state, id);
  },
  mustContent(state: KVReader, id: bigint): Content {
    const c = this.getContent(state, id);
    if (!c) throw marketErrors.contentNotFound.wrap(`content ${id}`);
    return c;
  },
  contentByRoot(state: KVReader, root: string): bigint | undefined {
    return s.contentByRoot.get(state, root);
  },
  setContent(store: KVStore, c: Content): void {
    s.contents.set(store, c.id, c);
    s.contentByRoot.set(store, c.root, c.id);
    s.contentsByOwner.add(store, [c.owner, c.id]);
    // an expired content leaves its nodes' replica lists; its acks stay until settlement is past its term
    if (!c.expired) for (const n of c.replicas) s.replicas.add(store, [n, c.id]);
    for (const a of c.acks) s.acked.add(store, [a.nodeId, c.id]);
  },
  /** Content ids a node acked and that may still be challenged (or scored): expired ones stay until retired. */
  ackedBy(state: KVReader, node: bigint): bigint[] {
    return s.acked.keys(state, { prefix: `${pad(node)}/` }).map(([, id]) => id);
  },

  /** Pays up to `amount` of a content's storage reservation into module account `to`; returns what was paid. */
  spendReserved(ctx: Context, contentId: bigint, amount: bigint, to: string, reason: string): bigint {
    const c = this.mustContent(ctx.store, contentId);
    const reserved = int(c.reserved);
    const paid = amount < reserved ? amount : reserved;
    if (paid <= 0n) return 0n;
    this.release(ctx, c.owner, paid, paid, to, reason);
    this.setContent(ctx.store, { ...c, reserved: (reserved - paid).toString() });
    return paid;
  },
  /** Returns up to `amount` of a content's reservation to its owner's spendable balance; returns what was returned. */
  refundReserved(ctx: Context, contentId: bigint, amount: bigint): bigint {
    const c = this.mustContent(ctx.store, contentId);
    const reserved = int(c.reserved);
    const back = amount < reserved ? amount : reserved;
    if (back <= 0n) return 0n;
    this.release(ctx, c.owner, back, 0n, ESCROW_POOL, "");
    this.setContent(ctx.store, { ...c, reserved: (reserved - back).toString() });
    return back;
  },
  allContents(state: KVReader): Content[] {
    return s.contents.values(state);
  },
  contentsOf(state: KVReader, owner: string): Content[] {
    return s.contentsByOwner.keys(state, { prefix: `${owner}/` }).map(([, id]) => this.mustContent(state, id));
  },
  /** Content ids a node holds a replica of. */
  replicasOf(state: KVReader, node: bigint): bigint[] {
    return s.replicas.keys(state, { prefix: `${pad(node)}/` }).map(([, id]) => id);
  },
};
