import type { MsgSubmitStorageProof } from "../../proto/gen/aro/gpow/v1/tx.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { seededIndex } from "../../chain/seed.ts";
import { marketKeeper } from "../market/keeper.ts";
import type { Content } from "../../proto/gen/aro/market/v1/market.ts";
import { peernodeKeeper } from "../peernode/keeper.ts";
import { epochs } from "../settlement/epochs.ts";
import { settlementWork } from "../settlement/work.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";

/**
 * Storage challenges: in every epoch each replica published before the epoch began must
 * prove one chunk, drawn from the epoch's seed, within storage_window blocks of the start.
 */
export function storageChallenge(state: KVReader, epoch: bigint, node: bigint, content: Content): { index: bigint; deadline: bigint } | undefined {
  const seed = k.epochSeed(state, epoch);
  if (!seed) return undefined;
  return { index: seededIndex(seed, content.chunkCount, "storage", node.toString(), content.id.toString()), deadline: epochs.start(state, epoch) + k.getParams(state).storageWindow };
}

/** Replicas a node must prove in an epoch (published before the epoch began). */
export function challengedReplicas(state: KVReader, epoch: bigint, node: bigint): Content[] {
  const start = epochs.start(state, epoch);
  return marketKeeper.replicasOf(state, node).map((id) => marketKeeper.mustContent(state, id)).filter((c) => c.publishedHeight < start);
}

export function submitStorageProof(ctx: Context, m: MsgSubmitStorageProof): void {
  peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  const current = epochs.of(ctx.store, ctx.block.height);
  if (m.epoch !== current) throw gpowErrors.outsideWindow.wrap(`storage proofs are for the current epoch ${current}`);
  const content = marketKeeper.mustContent(ctx.store, m.contentId);
  if (!content.replicas.includes(m.nodeId) || content.publishedHeight >= epochs.start(ctx.store, m.epoch)) {
    throw gpowErrors.notReplica.wrap(`node ${m.nodeId} has no replica of content ${m.contentId} challenged in epoch ${m.epoch}`);
  }
  const challenge = storageChallenge(ctx.store, m.epoch, m.nodeId, content)!;
  if (ctx.block.height > challenge.deadline) throw gpowErrors.outsideWindow.wrap(`the challenge for epoch ${m.epoch} closed at height ${challenge.deadline}`);
  if (k.storageProven(ctx.store, m.epoch, m.nodeId, m.contentId)) throw gpowErrors.alreadyDone.wrap("this replica is already proven for the epoch");
  if (m.chunkIndex !== challenge.index) throw gpowErrors.wrongChallenge.wrap(`chunk ${challenge.index} is challenged, not ${m.chunkIndex}`);
  if (!verifyChunk(Buffer.from(content.root, "hex"), content.chunkCount, m.chunkIndex, m.chunkHash, m.branch)) {
    throw gpowErrors.invalidStorageProof.wrap(`content ${content.id} chunk ${m.chunkIndex}`);
  }
  k.recordStorageProof(ctx.store, m.epoch, m.nodeId, m.contentId);
  settlementWork.addWork(ctx, m.epoch, m.nodeId, { storedBytes: content.size });
  ctx.events.emit("storage_proof", { node_id: m.nodeId.toString(), content_id: m.contentId.toString(), epoch: m.epoch.toString(), chunk: m.chunkIndex.toString() });
}

