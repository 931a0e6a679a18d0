import { GenesisState } from "../../proto/gen/aro/market/v1/market.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { ESCROW_POOL } from "./keys.ts";
import { marketKeeper as k } from "./keeper.ts";
import { marketStore } from "./store.ts";
import { defaultMarketParams, validateMarketParams } from "./params.ts";
import { enqueue } from "./content-term.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

export const defaultMarketGenesis = (): unknown => GenesisState.toJSON({ params: defaultMarketParams, escrows: [], contents: [], nextContentId: 1n, allotments: [], thaws: [] });

export function initMarketGenesis(ctx: Context, raw: unknown): void {
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(raw ?? {});
  } catch (err) {
    throw sdkErrors.invalidRequest.wrap(`market genesis: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultMarketParams;
  validateMarketParams(params);
  k.setParams(ctx.store, params);
  for (const e of g.escrows) {
    k.setEscrow(ctx.store, e);
    // a withdrawal waiting at export is paid at the first block
    if (BigInt(e.withdrawing || "0") > 0n) marketStore.withdrawals.set(ctx.store, [ctx.block.height, e.owner], e.withdrawing);
  }
  for (const a of g.allotments) k.setAllotment(ctx.store, a);
  for (const t of g.thaws) k.addThaw(ctx.store, t.unlockHeight < ctx.block.height ? ctx.block.height : t.unlockHeight, t.owner, t.nodeId, BigInt(t.amount));
  for (const c of g.contents) {
    k.setContent(ctx.store, c);
    // the content queue is rebuilt from the contents: an expired one waits to be retired
    if (c.expired) enqueue(ctx, ctx.block.height, c.id, "retire");
    else {
      if (c.acks.length < c.replicas.length) enqueue(ctx, c.publishedHeight + k.getParams(ctx.store).ackWindow, c.id, "ack");
      enqueue(ctx, c.expiresHeight, c.id, "expire");
    }
  }
  const maxId = g.contents.reduce((m, c) => (c.id > m ? c.id : m), 0n);
  k.contentIds.set(ctx.store, g.nextContentId > maxId ? g.nextContentId : maxId + 1n);
  authKeeper.getOrCreateModuleAccount(ctx.store, ESCROW_POOL);
  const broken = marketInvariants(ctx.store);
  if (broken.length) throw sdkErrors.invalidRequest.wrap(`market genesis is inconsistent: ${broken.join("; ")}`);
}

export function exportMarketGenesis(state: KVReader): unknown {
  return GenesisState.toJSON({
    params: k.getParams(state), escrows: k.allEscrows(state), contents: k.allContents(state), nextContentId: k.contentIds.peek(state),
    allotments: k.allAllotments(state), thaws: k.allThaws(state),
  });
}

/**
 * Every escrow's balance + held + withdrawing + allotted = deposited - withdrawn - paid, its
 * allotments add up to `allotted`, and the escrow account holds all of them.
 */
export function marketInvariants(state: KVReader): string[] {
  const out: string[] = [];
  let total = 0n;
  const allottedBy = new Map<string, bigint>();
  for (const a of k.allAllotments(state)) {
    const [amount, thawing] = [BigInt(a.amount || "0"), BigInt(a.thawing || "0")];
    if (amount < 0n || thawing < 0n) out.push(`market/allotment: ${a.owner} to node ${a.nodeId} is ${amount} + ${thawing} thawing`);
    allottedBy.set(a.owner, (allottedBy.get(a.owner) ?? 0n) + amount + thawing);
  }
  for (const e of k.allEscrows(state)) {
    const [balance, held, withdrawing, allotted, deposited, withdrawn, paid] = [e.balance, e.held, e.withdrawing, e.allotted, e.deposited, e.withdrawn, e.paid].map((s) => BigInt(s || "0"));
    if (balance < 0n || held < 0n || withdrawing < 0n || allotted < 0n || balance + held + withdrawing + allotted !== deposited - withdrawn - paid) {
      out.push(`market/escrow: ${e.owner} balance ${balance} + held ${held} + withdrawing ${withdrawing} + allotted ${allotted} != deposited ${deposited} - withdrawn ${withdrawn} - paid ${paid}`);
    }
    if ((allottedBy.get(e.owner) ?? 0n) !== allotted) out.push(`market/allotment: ${e.owner}'s allotments add up to ${allottedBy.get(e.owner) ?? 0n}, the escrow says ${allotted}`);
    allottedBy.delete(e.owner);
    total += balance + held + withdrawing + allotted;
  }
  for (const owner of allottedBy.keys()) out.push(`market/allotment: ${owner} has allotments and no escrow`);
  const denom = k.denom(state);
  const pool = bankKeeper.getBalance(state, moduleAddress(ESCROW_POOL), denom);
  if (pool !== total) out.push(`market/escrow-pool: holds ${pool}${denom}, escrows add up to ${total}`);
  out.push(...reservationInvariants(state));
  return out;
}

/**
 * Every content's remaining storage reservation is held in its publisher's escrow: per owner,
 * the contents' `reserved` add up to at most `held` (which also covers running jobs), and an
 * expired content reserves nothing. One pass over the contents, one escrow read per owner.
 */
function reservationInvariants(state: KVReader): string[] {
  const out: string[] = [];
  const reservedBy = new Map<string, bigint>();
  for (const c of k.allContents(state)) {
    const reserved = BigInt(c.reserved || "0");
    if (reserved < 0n || (c.expired && reserved !== 0n)) out.push(`market/content-reserved: content ${c.id} (expired ${c.expired}) reserves ${reserved}`);
    reservedBy.set(c.owner, (reservedBy.get(c.owner) ?? 0n) + reserved);
  }
  for (const [owner, reserved] of reservedBy) {
    const held = BigInt(k.getEscrow(state, owner)?.held || "0");
    if (reserved > held) out.push(`market/content-reserved: ${owner}'s contents reserve ${reserved}, the escrow holds ${held}`);
  }
  return out;
}
