import type { Logger } from "pino";
import type { ChainClient } from "../runtime/chain-client.ts";
import { pad, putSync, type AgentDb } from "../runtime/state-db.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { storageAnswer } from "./storage-answer.ts";
import { epochOf, epochStart, type Windows } from "./windows.ts";

/** Storage answers per tx: each carries a segment of at most 4 KiB and two short branches. */
const STORAGE_PROOFS_PER_TX = 32;
/** Refusals that will repeat (not challenged, not a replica, window closed, already proven): not retried. */
const PERMANENT_STORAGE_REFUSAL = /not challenged|no replica|closed at height|already proven|storage proofs are for the current epoch/;

/** What answering storage challenges needs: the chain, the local database and blockstore, the node it answers for. */
export interface StorageChallengeContext {
  readonly chain: ChainClient;
  readonly db: AgentDb;
  readonly store: Blockstore;
  readonly log: Logger;
  readonly nodeId: bigint;
  readonly windows: Windows;
  readonly events: { onStorageProof?(contentId: bigint, epoch: bigint): void };
}

/** Answers this epoch's storage challenge on every replica the node holds and has acked (batched, refusals not retried when they will repeat). */
export async function answerStorageChallenges(p: StorageChallengeContext, height: bigint): Promise<void> {
  const epoch = epochOf(p.windows, height);
  const { contents } = await p.chain.q.aro.market.NodeReplicas({ nodeId: p.nodeId });
  const start = epochStart(p.windows, epoch);
  const due: Array<{ key: string; contentId: bigint; chunk: number; segment: number; msg: { typeUrl: string; value: unknown } }> = [];
  for (const c of contents) {
    // challenged once acked, from the next epoch on
    const acked = c.acks.find((a) => a.nodeId === p.nodeId);
    if (!acked || acked.height >= start) continue;
    const key = `${pad(epoch)}/${pad(c.id)}`;
    if ((await p.db.storage.get(key)) !== undefined) continue;
    const ch = await p.chain.q.aro.gpow.StorageChallenge({ nodeId: p.nodeId, contentId: c.id, epoch }).catch(() => undefined);
    if (!ch || ch.answered || height > BigInt(ch.deadline)) continue;
    if (!p.store.has(c.root)) continue; // not pinned yet: the pinner fetches it
    const index = Number(ch.chunkIndex);
    const segmentIndex = Number(ch.segmentIndex);
    // the answer is data: the challenged segment read from the (verified) chunk on disk, with both branches
    const answer = storageAnswer(p.store.chunk(c.root, index), p.store.proof(c.root, index), segmentIndex);
    due.push({
      key, contentId: c.id, chunk: index, segment: segmentIndex,
      msg: { typeUrl: "/aro.gpow.v1.MsgSubmitStorageProof", value: { operator: p.chain.address, nodeId: p.nodeId, contentId: c.id, epoch, chunkIndex: ch.chunkIndex, segmentIndex: ch.segmentIndex, ...answer } },
    });
  }
  // many answers per tx (a few KiB each), so a node holding many replicas lands them all within the window
  for (let i = 0; i < due.length; i += STORAGE_PROOFS_PER_TX) {
    const batch = due.slice(i, i + STORAGE_PROOFS_PER_TX);
    try {
      await p.chain.send(batch.map((d) => d.msg));
      for (const d of batch) await answered(p, d, epoch);
    } catch (err) {
      // one answer the chain refuses fails the batch: send them one by one
      for (const d of batch) {
        try {
          await p.chain.send([d.msg]);
          await answered(p, d, epoch);
        } catch (one) {
          const message = (one as Error).message;
          p.log.warn({ content: d.contentId.toString(), epoch: epoch.toString(), err: message }, "storage proof refused");
          // a refusal that will repeat is not retried; anything else (RPC, mempool, balance) is, next block, until the deadline
          if (PERMANENT_STORAGE_REFUSAL.test(message)) await putSync(p.db.storage, d.key, new Uint8Array([1]));
        }
      }
      if (batch.length > 1) p.log.warn({ epoch: epoch.toString(), err: (err as Error).message }, "storage proof batch refused; sent one by one");
    }
  }
}

async function answered(p: StorageChallengeContext, d: { key: string; contentId: bigint; chunk: number; segment: number }, epoch: bigint): Promise<void> {
  await putSync(p.db.storage, d.key, new Uint8Array([1]));
  p.events.onStorageProof?.(d.contentId, epoch);
  p.log.info({ content: d.contentId.toString(), epoch: epoch.toString(), chunk: d.chunk, segment: d.segment }, "storage challenge answered");
}
