import { QueryEpochRequest, QueryEpochResponse, QueryExplainRequest, QueryExplainResponse, QueryParamsRequest, QueryParamsResponse } from "../../proto/gen/aro/settlement/v1/query.ts";
import { decFromString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { settlementParams } from "./params.ts";
import { settlementStore } from "./store.ts";
import { formula, rewardOf } from "./score.ts";
import { settlementWork as w } from "./work.ts";
import { prunedEpoch } from "./prune.ts";

const Q = "/aro.settlement.v1.Query/";
const pruned = (epoch: bigint) => `the records of epoch ${epoch} are pruned (kept for record_retention_epochs settled epochs)`;

export const settlementQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: settlementParams.get(state) })),
  queryRoute(Q + "Epoch", QueryEpochRequest, QueryEpochResponse, (state, req) => {
    if (prunedEpoch(state, req.epoch)) throw sdkErrors.keyNotFound.wrap(pruned(req.epoch));
    return { settlement: w.getEpoch(state, req.epoch) };
  }),
  /** Recomputes a node's payout for an epoch from its recorded factors and the epoch's pool. */
  queryRoute(Q + "Explain", QueryExplainRequest, QueryExplainResponse, (state, req) => {
    const record = settlementStore.records.must(state, [req.epoch, req.nodeId],
      () => sdkErrors.keyNotFound.wrap(prunedEpoch(state, req.epoch) ? pruned(req.epoch) : `node ${req.nodeId} earned nothing in epoch ${req.epoch} (or the epoch is not scored yet)`));
    const settlement = w.getEpoch(state, req.epoch);
    const nodePool = BigInt(settlement.pool) - BigInt(settlement.watcherPool);
    const total = decFromString(settlement.totalScore);
    const availability = rewardOf(nodePool, decFromString(record.score), total);
    const usage = BigInt(record.usageIncome || "0");
    const work = record.work ?? w.getWork(state, req.epoch, req.nodeId);
    return {
      record, settlement, recomputedReward: (availability + usage).toString(),
      formula: formula({
        bond: BigInt(record.bond || "0"), bonded: record.bonded, uptimePermille: record.uptimePermille, chunkPermille: record.chunkPermille,
        latencyMs: record.latencyMs, latency: decFromString(record.latencyFactor || "1"), nat: decFromString(record.natFactor),
        declaredNat: record.declaredNatFactor, measuredNat: record.measuredNatFactor,
        declaredRegion: record.declaredRegionFactor, measuredRegion: record.measuredRegionFactor, regionReports: record.regionReports, regionLatencyMs: record.regionLatencyMs,
        region: decFromString(record.regionFactor), storage: decFromString(record.storageFactor || "1"), score: decFromString(record.score),
        nodePool, totalScore: total, availability, work, usage, reward: availability + usage,
      }),
    };
  }),
];
