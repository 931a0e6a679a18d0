import type { MsgSubmitStorageProof } from "../../proto/gen/aro/gpow/v1/tx.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { chunkLength, segmentCount } from "../../chain/proofs/segments.ts";
import { storageProofFailure } from "../../chain/proofs/storage-proof.ts";
import { seededIndex } from "../../chain/seed.ts";
import type { Content } from "../../proto/gen/aro/market/v1/market.ts";
import { epochs } from "../epochs/epochs.ts";
import { SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
import { replicaChallenged, replicaEpochCost } from "../../protocol/storage-term.ts";
import { decFromString } from "../../chain/dec.ts";
import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { workSink, marketKeeper, peernodeKeeper } from "./expected.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";

/**
 * Storage challenges: in every epoch each replica its node acked (MsgAckReplica) before
 * the epoch began, within the content's paid term, must prove one segment of one chunk, both drawn from the epoch's seed (per node and content:
 * unknown before the epoch starts, different for every replica), within storage_window
 * blocks of the start. The answer carries the segment's bytes (storage-proof.ts).
 */
export function storageChallenge(state: KVReader, epoch: bigint, node: bigint, content: Content): { index: bigint; segment: bigint; deadline: bigint } | undefined {
  const seed = k.epochSeed(state, epoch);
  if (!seed) return undefined;
  const index = seededIndex(seed, content.chunkCount, "storage", node.toString(), content.id.toString());
  const segments = segmentCount(chunkLength(content.size, BigInt(content.chunkSize), index));
  const segment = seededIndex(seed, segments, "storage-segment", node.toString(), content.id.toString());
  return { index, segment, deadline: epochs.start(state, epoch) + k.getParams(state).storageWindow };
}

/**
 * Replicas a node must prove in an epoch: acked by the node before the epoch began, and
 * the epoch starts within the content's term. A replica its node never acked (it may never
 * have received it) is never challenged, so nobody is slashed for a publisher's missing upload.
 */
export function challengedReplicas(state: KVReader, epoch: bigint, node: bigint): Content[] {
  const start = epochs.start(state, epoch);
  return marketKeeper.ackedBy(state, node).map((id) => marketKeeper.mustContent(state, id)).filter((c) => replicaChallenged(c, node, start));
}

export function submitStorageProof(ctx: Context, m: MsgSubmitStorageProof): void {
  const node = peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  const current = epochs.of(ctx.store, ctx.block.height);
  if (m.epoch !== current) throw gpowErrors.outsideWindow.wrap(`storage proofs are for the current epoch ${current}`);
  const content = marketKeeper.mustContent(ctx.store, m.contentId);
  if (!replicaChallenged(content, m.nodeId, epochs.start(ctx.store, m.epoch))) {
    throw gpowErrors.notReplica.wrap(`node ${m.nodeId} has no replica of content ${m.contentId} challenged in epoch ${m.epoch}`);
  }
  const challenge = storageChallenge(ctx.store, m.epoch, m.nodeId, content)!;
  if (ctx.block.height > challenge.deadline) throw gpowErrors.outsideWindow.wrap(`the challenge for epoch ${m.epoch} closed at height ${challenge.deadline}`);
  if (k.storageProven(ctx.store, m.epoch, m.nodeId, m.contentId)) throw gpowErrors.alreadyDone.wrap("this replica is already proven for the epoch");
  if (m.chunkIndex !== challenge.index || m.segmentIndex !== challenge.segment) {
    throw gpowErrors.wrongChallenge.wrap(`chunk ${challenge.index} segment ${challenge.segment} is challenged, not chunk ${m.chunkIndex} segment ${m.segmentIndex}`);
  }
  const failure = storageProofFailure(
    { root: Buffer.from(content.root, "hex"), size: content.size, chunkSize: BigInt(content.chunkSize) },
    { chunkIndex: m.chunkIndex, segmentIndex: m.segmentIndex, segment: m.segment, segmentBranch: m.segmentBranch, chunkBranch: m.branch },
  );
  if (failure) throw gpowErrors.invalidStorageProof.wrap(`content ${content.id}: ${failure}`);
  k.recordStorageProof(ctx.store, m.epoch, m.nodeId, m.contentId);
  chargeStorage(ctx, m.epoch, node, content);
  ctx.events.emit("storage_proof", { node_id: m.nodeId.toString(), content_id: m.contentId.toString(), epoch: m.epoch.toString(), chunk: m.chunkIndex.toString(), segment: m.segmentIndex.toString() });
}


/**
 * A proven replica's epoch of storage is paid now from the storage its publisher reserved
 * when publishing (what the proof shows is held), and that payment is the node's storage
 * income; stored bytes count only as far as they were paid for. A node below min_bond
 * earns nothing, and its share stays reserved (returned to the publisher at expiry).
 */
function chargeStorage(ctx: Context, epoch: bigint, node: Node, content: Content): void {
  if (!peernodeKeeper.isBonded(ctx.store, node)) return;
  const cost = replicaEpochCost(content.size, decFromString(marketKeeper.getParams(ctx.store).prices!.perGbEpochStored));
  const paid = marketKeeper.spendReserved(ctx, content.id, cost, SETTLEMENT_POOL, `storage of content ${content.id} on node ${node.id} in epoch ${epoch}`);
  workSink(ctx).addUsage(ctx, epoch, node.id, "storage", paid);
  workSink(ctx).addWork(ctx, epoch, node.id, { storedBytes: cost === 0n ? 0n : (content.size * paid) / cost });
}
