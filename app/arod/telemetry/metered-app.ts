import { performance } from "node:perf_hooks";
import type { Event, RequestCheckTx, RequestFinalizeBlock, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { AbciApplication } from "../../../chain/abci/application.ts";
import { isBeaconTx } from "../../../chain/beacon.ts";
import type { NodeMetrics } from "./node-metrics.ts";

/**
 * The app as the ABCI server sees it, with each call timed and its answer read into `m`.
 * Only the host's side: requests and responses pass through unchanged, so what the
 * chain computes is the same with or without metrics (the wall clock is read here, never
 * inside the state machine).
 */
export function meteredApp(app: AbciApplication, m: NodeMetrics): AbciApplication {
  const checkNew = m.checkTxSeconds.labels("new");
  const checkRecheck = m.checkTxSeconds.labels("recheck");
  let lastBlockTime: number | undefined;
  return {
    info: (req) => app.info(req),
    initChain: (req) => app.initChain(req),
    query: (req) => app.query(req),
    checkTx(req: RequestCheckTx) {
      const start = performance.now();
      const res = app.checkTx(req);
      const recheck = req.type === 1;
      (recheck ? checkRecheck : checkNew).observe((performance.now() - start) / 1000);
      if (res.code) (recheck ? m.evicted : m.refused).inc({ codespace: res.codespace || "-", code: String(res.code) });
      return res;
    },
    prepareProposal: (req) => app.prepareProposal(req),
    processProposal: (req) => app.processProposal(req),
    extendVote: (req) => app.extendVote(req),
    verifyVoteExtension: (req) => app.verifyVoteExtension(req),
    async finalizeBlock(req: RequestFinalizeBlock) {
      const start = performance.now();
      const res = await app.finalizeBlock(req);
      m.finalizeBlockSeconds.observe((performance.now() - start) / 1000);
      const time = Number(req.time.seconds) + req.time.nanos / 1e9;
      if (lastBlockTime !== undefined) m.blockInterval.set(time - lastBlockTime);
      lastBlockTime = time;
      m.blockTimestamp.set(time);
      recordBlock(m, req, res);
      return res;
    },
    async commit() {
      const start = performance.now();
      const res = await app.commit();
      m.commitSeconds.observe((performance.now() - start) / 1000);
      return res;
    },
    listSnapshots: () => app.listSnapshots(),
    loadSnapshotChunk: (req) => app.loadSnapshotChunk(req),
    offerSnapshot: (req) => app.offerSnapshot(req),
    applySnapshotChunk: (req) => app.applySnapshotChunk(req),
  };
}

/** Txs by result and what settlement did in the block (its end-block events). */
function recordBlock(m: NodeMetrics, req: RequestFinalizeBlock, res: Partial<ResponseFinalizeBlock>): void {
  const results = res.txResults ?? [];
  const skip = req.txs.length > 0 && isBeaconTx(req.txs[0]) ? 1 : 0;
  let ok = 0;
  for (let i = skip; i < results.length; i++) if (results[i].code === 0) ok++;
  const total = Math.max(0, results.length - skip);
  m.blockTxs.observe(total);
  if (ok) m.txs.inc({ result: "ok" }, ok);
  if (total > ok) m.txs.inc({ result: "failed" }, total - ok);
  let nodeRewards = 0;
  for (const e of res.events ?? []) {
    switch (e.type) {
      case "node_reward": nodeRewards++; break;
      case "watcher_reward": m.watcherRewards.inc(); break;
      case "epoch_scored": m.epochsScored.inc(); break;
      case "epoch_settled": {
        m.epochsSettled.inc();
        const epoch = Number(attribute(e, "epoch"));
        const paid = Number(attribute(e, "paid"));
        if (Number.isFinite(epoch)) m.settledEpoch.set(epoch);
        if (Number.isFinite(paid) && paid > 0) m.settlementPaid.inc(paid);
        break;
      }
    }
  }
  if (nodeRewards) {
    m.nodeRewards.inc(nodeRewards);
    m.settlementBatches.inc();
  }
}

const attribute = (e: Event, key: string) => e.attributes.find((a) => a.key === key)?.value;
