import type { Content } from "../../proto/gen/aro/market/v1/market.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { decFromString } from "../../chain/dec.ts";
import { epochs } from "../epochs/epochs.ts";
import { CONTENT_DUE_PER_BLOCK, pad, type DueKind } from "./keys.ts";
import { marketHooks, type SettlementProgressHooks } from "./expected.ts";
import { marketKeeper as k } from "./keeper.ts";
import { marketStore as s } from "./store.ts";
import { replicaEpochCost } from "../../protocol/storage-term.ts";

/**
 * A content's life after publication, run from market's end block in bounded batches
 * (CONTENT_DUE_PER_BLOCK entries of a queue keyed by height):
 * - `ack` (publication + ack_window): replicas their node never acked are released and
 *   their share of the reservation returned; with none acked the content expires at once.
 * - `expire` (end of the term): every replica is released, the rest of the reservation
 *   returned to the publisher; no challenge covers an epoch starting after it.
 * - `retire` (once settlement, through its `market` hook, reports the term's last epoch
 *   settled): the acks kept for settlement's count of challenges are dropped.
 */
const int = (s: string) => (s ? BigInt(s) : 0n);

export function enqueue(ctx: Context, height: bigint, content: bigint, kind: DueKind): void {
  s.due.add(ctx.store, [height, content, kind]);
}

/** What one replica's whole term was reserved for. */
function replicaShare(state: KVReader, c: Content): bigint {
  return replicaEpochCost(c.size, decFromString(k.getParams(state).prices!.perGbEpochStored)) * c.epochs;
}

function expire(ctx: Context, c: Content, why: string): void {
  k.setContent(ctx.store, { ...c, expired: true });
  for (const n of c.replicas) s.replicas.remove(ctx.store, [n, c.id]);
  const back = k.refundReserved(ctx, c.id, int(c.reserved));
  enqueue(ctx, ctx.block.height + epochs.length(ctx.store), c.id, "retire");
  ctx.events.emit("content_expired", { content_id: c.id.toString(), owner: c.owner, refunded: back.toString(), reason: why });
}

function ackDeadline(ctx: Context, c: Content): void {
  const acked = new Set(c.acks.map((a) => a.nodeId));
  const unacked = c.replicas.filter((n) => !acked.has(n));
  if (unacked.length === 0) return;
  if (acked.size === 0) return expire(ctx, c, "no node acked its replica within ack_window");
  const share = replicaShare(ctx.store, c);
  k.setContent(ctx.store, { ...c, replicas: c.replicas.filter((n) => acked.has(n)) });
  for (const n of unacked) {
    s.replicas.remove(ctx.store, [n, c.id]);
    const back = k.refundReserved(ctx, c.id, share);
    ctx.events.emit("replica_released", { content_id: c.id.toString(), node_id: n.toString(), refunded: back.toString() });
  }
}

/** The last epoch the scoring module (settlement) has settled; -1 when there is none (nothing is ever settled). */
function settledThrough(ctx: Context): bigint {
  const [h] = marketHooks<SettlementProgressHooks>(ctx, "settledThrough");
  return h ? h.settledThrough(ctx.store) : -1n;
}

function retire(ctx: Context, c: Content): void {
  // settlement still has to count the challenges of the term's last epoch: look again an epoch later
  if (settledThrough(ctx) < epochs.of(ctx.store, c.expiresHeight)) return enqueue(ctx, ctx.block.height + epochs.length(ctx.store), c.id, "retire");
  for (const a of c.acks) s.acked.remove(ctx.store, [a.nodeId, c.id]);
}

/** End block: the content work due at or before this height, at most CONTENT_DUE_PER_BLOCK entries. */
export function processDueContent(ctx: Context): void {
  const due = s.due.keys(ctx.store, { before: `${pad(ctx.block.height + 1n)}/`, limit: CONTENT_DUE_PER_BLOCK });
  for (const key of due) {
    s.due.remove(ctx.store, key);
    const [, id, kind] = key;
    const c = k.getContent(ctx.store, id);
    if (!c) continue;
    if (kind === "retire") retire(ctx, c);
    else if (c.expired) continue;
    else if (kind === "ack") ackDeadline(ctx, c);
    else if (kind === "expire") expire(ctx, c, "term ended");
  }
}
