import assert from "node:assert/strict";
import { EventManager } from "../../chain/events.ts";
import { DEC_ONE, decFromString } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { CacheKV } from "../../chain/store/cache.ts";
import { evaluateNode, majorityReach, regionLatency, strayReason } from "./evaluation.ts";
import { watcherKeeper } from "./keeper.ts";
import { defaultSettlementParams, validateSettlementParams } from "../settlement/params.ts";
import { appliedRegionFactor, formula, measuredRegionFactor, regionFactor, regionVerified } from "../settlement/score.ts";
import { Reach, type NodeReport } from "../../proto/gen/aro/watcher/v1/watcher.ts";

const { REACH_DIRECT: D, REACH_RELAYED: R, REACH_UNREACHABLE: U, REACH_UNSPECIFIED: X } = Reach;
const EPOCH = 3n;
const NODE = 9n;

const report = (o: Partial<NodeReport>): NodeReport => ({ nodeId: NODE, uptimePermille: 1000, latencyMs: 20, chunksPassed: 0, chunksFailed: 0, reach: D, ...o });

/** A bare context over an empty in-memory store: watchers and their reports for one node. */
function setup(entries: Array<{ watcher: string; region: string; report: NodeReport }>) {
  const store = new CacheKV({ get: () => undefined, iterate: () => [] });
  for (const e of entries) {
    watcherKeeper.set(store, { address: e.watcher, region: e.region, tokens: "1000", shares: "1000", jailed: false, strikes: 0, registeredHeight: 1n, rewardPerShare: "0", slashes: 0n });
    watcherKeeper.setReport(store, EPOCH, e.watcher, e.report);
  }
  const events = new EventManager();
  const ctx = { store, events, block: { height: 100n, timeSeconds: 0n, chainId: "test" }, mode: "finalize" } as unknown as Context;
  const strikes = () => Object.fromEntries(entries.map((e) => [e.watcher, watcherKeeper.get(store, e.watcher)!.strikes]));
  const struck = () => events.events.filter((e) => e.type === "watcher_strike").map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
  return { ctx, strikes, struck };
}

describe("watchers: reach strikes and region measured by where the probes see the node", () => {
  it("majority reach: the reach more than half of the reports that say agree on", () => {
    assert.equal(majorityReach([D, D, R]), D);
    assert.equal(majorityReach([R, R, D]), R);
    assert.equal(majorityReach([U, U, D]), U);
    assert.equal(majorityReach([D, R, U]), undefined, "a three-way split has no majority");
    assert.equal(majorityReach([D, R]), undefined, "a tie has no majority");
    assert.equal(majorityReach([R, X, X]), R, "reports that do not say are not counted");
    assert.equal(majorityReach([X, X]), undefined);
  });

  it("a report strays on uptime or on reach, one reason at most; a report that does not say how is not struck for it", () => {
    assert.equal(strayReason(report({ reach: D }), 1000, D, 200), undefined);
    assert.match(strayReason(report({ reach: R }), 1000, D, 200)!, /reach relayed disagrees with the committee majority direct/);
    assert.match(strayReason(report({ uptimePermille: 0, reach: U }), 1000, D, 200)!, /uptime 0‰ is more than 200‰/);
    assert.equal(strayReason(report({ reach: X }), 1000, D, 200), undefined);
    assert.equal(strayReason(report({ reach: R }), 1000, undefined, 200), undefined, "no majority: nobody is struck for reach");
  });

  it("evaluateNode strikes a watcher whose reach disagrees with the committee majority, once per report", () => {
    const { ctx, strikes, struck } = setup([
      { watcher: "k1", region: "europe", report: report({ reach: D }) },
      { watcher: "k2", region: "europe", report: report({ reach: D }) },
      { watcher: "k3", region: "europe", report: report({ reach: R }) },
    ]);
    const e = evaluateNode(ctx, EPOCH, NODE, false, "europe")!;
    assert.equal(e.direct, true);
    assert.deepEqual(strikes(), { k1: 0, k2: 0, k3: 1 });
    assert.equal(struck().length, 1);
    assert.equal(struck()[0].watcher, "k3");
    assert.equal(struck()[0].reach, "relayed");
    assert.equal(struck()[0].majority_reach, "direct");
  });

  it("a report straying both on uptime and on reach is one strike; a split committee strikes nobody for reach", () => {
    const both = setup([
      { watcher: "k1", region: "europe", report: report({ reach: D }) },
      { watcher: "k2", region: "europe", report: report({ reach: D }) },
      { watcher: "k3", region: "europe", report: report({ reach: D }) },
      { watcher: "k4", region: "europe", report: report({ uptimePermille: 0, latencyMs: 0, reach: U }) },
      { watcher: "k5", region: "europe", report: report({ reach: R }) },
    ]);
    evaluateNode(both.ctx, EPOCH, NODE, false, "europe");
    assert.deepEqual(both.strikes(), { k1: 0, k2: 0, k3: 0, k4: 1, k5: 1 }, "k4 strays twice in one report: one strike; k5 on reach alone");
    assert.deepEqual(both.struck().map((e) => e.watcher), ["k4", "k5"]);

    const split = setup([
      { watcher: "k1", region: "europe", report: report({ reach: D }) },
      { watcher: "k2", region: "europe", report: report({ reach: R }) },
      { watcher: "k3", region: "europe", report: report({ reach: X }) },
    ]);
    evaluateNode(split.ctx, EPOCH, NODE, false, "europe");
    assert.deepEqual(split.strikes(), { k1: 0, k2: 0, k3: 0 });
  });

  it("region latency: only reports of watchers registered in the node's region that reached it count", () => {
    assert.deepEqual(regionLatency([], "europe"), { reports: 0, latencyMs: undefined });
    assert.deepEqual(regionLatency([
      { watcherRegion: "europe", report: report({ latencyMs: 30 }) },
      { watcherRegion: "europe", report: report({ latencyMs: 50 }) },
      { watcherRegion: "europe", report: report({ uptimePermille: 0, latencyMs: 0 }) },
      { watcherRegion: "asia", report: report({ latencyMs: 1 }) },
      { watcherRegion: undefined, report: report({ latencyMs: 1 }) },
    ], "europe"), { reports: 2, latencyMs: 40 });
    const { ctx } = setup([
      { watcher: "k1", region: "asia", report: report({ latencyMs: 300 }) },
      { watcher: "k2", region: "europe", report: report({ latencyMs: 12 }) },
      { watcher: "k3", region: "europe", report: report({ uptimePermille: 0, latencyMs: 0, reach: U }) },
    ]);
    const e = evaluateNode(ctx, EPOCH, NODE, false, "europe")!;
    assert.equal(e.regionReports, 1);
    assert.equal(e.regionLatencyMs, 12);
    const elsewhere = evaluateNode(setup([{ watcher: "k1", region: "asia", report: report({ latencyMs: 5 }) }]).ctx, EPOCH, NODE, false, "europe")!;
    assert.equal(elsewhere.regionReports, 0);
    assert.equal(elsewhere.regionLatencyMs, undefined);
  });

  it("region factor: min of the declared one and the measured one (the region's if verified, else 1)", () => {
    const p = { ...defaultSettlementParams, regionFactors: [{ region: "europe", factor: "1.500000000000000000" }, { region: "oceania", factor: "0.800000000000000000" }] };
    assert.equal(p.regionMaxLatencyMs, 100);
    const eu = regionFactor(p, "europe");
    assert.equal(eu, (DEC_ONE * 3n) / 2n);
    assert.equal(regionVerified(p, 0, undefined), false, "no watcher of the region reached it");
    assert.equal(regionVerified(p, 2, 100), true);
    assert.equal(regionVerified(p, 2, 101), false, "seen too far away by the region's watchers");
    // a node declaring europe that no European watcher sees gets 1, not 1.5
    assert.equal(appliedRegionFactor(eu, measuredRegionFactor(p, "europe", false)), DEC_ONE);
    assert.equal(appliedRegionFactor(eu, measuredRegionFactor(p, "europe", true)), eu);
    // an unverified region never raises a factor below 1
    const oc = regionFactor(p, "oceania");
    assert.equal(appliedRegionFactor(oc, measuredRegionFactor(p, "oceania", false)), oc);
    assert.equal(appliedRegionFactor(DEC_ONE, measuredRegionFactor(p, "asia", false)), DEC_ONE, "a region not listed: 1 either way");
  });

  it("the formula shows the declared and measured region factors; region_max_latency_ms is validated", () => {
    const work = { nodeId: 1n, epoch: 1n, deliveredBytes: 0n, storedBytes: 0n, computeUnits: 0n, storageMissed: 0, storageProven: 0, deliveryPaid: "0", storagePaid: "0", computePaid: "0", burned: "0" };
    const base = {
      bond: 1n, bonded: true, uptimePermille: 1000, chunkPermille: 1000, latencyMs: 0, latency: DEC_ONE, nat: DEC_ONE, region: DEC_ONE,
      storage: DEC_ONE, score: 0n, nodePool: 0n, totalScore: 0n, availability: 0n, work, usage: 0n, reward: 0n,
    };
    assert.match(formula({ ...base, declaredRegion: "1.500000000000000000", measuredRegion: "1.000000000000000000", regionReports: 0 }),
      /region 1\.0+ \(min of declared 1\.50+, measured 1\.0+: no watcher of the region reached it\)/);
    assert.match(formula({ ...base, region: decFromString("1.5"), declaredRegion: "1.500000000000000000", measuredRegion: "1.500000000000000000", regionReports: 2, regionLatencyMs: 7 }),
      /region 1\.50+ \(min of declared 1\.50+, measured 1\.50+: 2 reports from watchers of the region, median 7 ms\)/);
    validateSettlementParams(defaultSettlementParams);
    assert.throws(() => validateSettlementParams({ ...defaultSettlementParams, regionMaxLatencyMs: 0 }), /region_max_latency_ms/);
  });
});
