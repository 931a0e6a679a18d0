import assert from "node:assert/strict";
import { committeeFor, median } from "./committee.ts";
import { appliedNatFactor, formula, latencyFactor, measuredNatFactor, natFactor, rewardOf, score, storageFactor, usageIncome, workValue } from "../settlement/score.ts";
import { majorityDirect } from "./evaluation.ts";
import { defaultSettlementParams } from "../settlement/params.ts";
import { Reach } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { NatType } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { DEC_ONE } from "../../chain/dec.ts";

const snapshot = (watchers: Array<[string, string, bigint]>, seed = 1) => ({
  epoch: 7n, seed: new Uint8Array(32).fill(seed), watchers: watchers.map(([address, region, stake]) => ({ address, region, stake: stake.toString() })),
});

describe("watcher committees and settlement scores (pure)", () => {
  it("a committee has distinct watchers, is the same for everyone, and changes with the seed", () => {
    const s = snapshot(Array.from({ length: 20 }, (_, i) => [`k${i}`, i < 10 ? "europe" : "asia", 1000n] as [string, string, bigint]));
    const c = committeeFor(s, 42n, "europe", 3);
    assert.equal(new Set(c).size, 3);
    assert.deepEqual(committeeFor(s, 42n, "europe", 3), c, "deterministic");
    assert.ok(c.every((k) => Number(k.slice(1)) < 10), "drawn from the node's region when it has enough watchers");
    const other = Array.from({ length: 30 }, (_, n) => committeeFor(snapshot(s.watchers.map((e) => [e.address, e.region, 1000n]), n + 2), 42n, "europe", 3).join());
    assert.ok(new Set(other).size > 10, "another seed, another committee");
    assert.ok(committeeFor(s, 1n, "oceania", 3).length === 3, "a region without enough watchers draws from all");
  });

  it("draws in proportion to stake", () => {
    const s = snapshot([["rich", "europe", 9000n], ["poor", "europe", 1000n]]);
    let rich = 0;
    for (let n = 0n; n < 2000n; n++) if (committeeFor(s, n, "europe", 1)[0] === "rich") rich++;
    assert.ok(rich > 1700 && rich < 1900, `rich drawn ${rich} of 2000 times (expected ~1800)`);
  });

  it("median and score: integer arithmetic, truncated in a fixed order", () => {
    assert.equal(median([0, 0, 1000]), 0);
    assert.equal(median([100, 300]), 200);
    assert.equal(median([5]), 5);
    const prices = { perGbDelivered: "1000", perGbEpochStored: "10", perComputeUnit: "0.000001" };
    const w = {
      nodeId: 1n, epoch: 1n, deliveredBytes: 2_000_000_000n, storedBytes: 1_000_000_000n, computeUnits: 1_000_000n, storageMissed: 1, storageProven: 3,
      deliveryPaid: "2000", storagePaid: "10", computePaid: "1", burned: "201",
    };
    assert.equal(workValue(w, prices), (2000n + 10n + 1n) * DEC_ONE);
    assert.equal(usageIncome(w), 2011n - 201n);
    assert.equal(storageFactor(3, 1), (DEC_ONE * 3n) / 4n);
    assert.equal(storageFactor(0, 0), DEC_ONE, "no challenge due: full factor");
    // availability: bond × uptime × nat × region × storage, truncated in that order
    const s = score(5_000_000n, { uptimePermille: 900, chunkPermille: 1000, latency: latencyFactor(200, 150) }, DEC_ONE * 7n / 10n, DEC_ONE, storageFactor(3, 1));
    assert.equal(s, ((5_000_000n * DEC_ONE * 900n / 1000n) * 7n / 10n) * 3n / 4n);
    // latency above the target and failed chunk checks lower the score
    assert.equal(latencyFactor(200, 400), DEC_ONE / 2n);
    assert.equal(latencyFactor(200, 0), DEC_ONE);
    const slow = score(5_000_000n, { uptimePermille: 1000, chunkPermille: 500, latency: latencyFactor(200, 400) }, DEC_ONE, DEC_ONE, DEC_ONE);
    assert.equal(slow, (5_000_000n * DEC_ONE) / 4n);
    assert.equal(rewardOf(1000n, s, s * 3n), 333n);
    assert.equal(rewardOf(1000n, s, 0n), 0n);
  });

  it("measured reachability: the committee's majority of reports that say; a tie or relayed/unreachable majority is not direct", () => {
    const { REACH_DIRECT: D, REACH_RELAYED: R, REACH_UNREACHABLE: U, REACH_UNSPECIFIED: X } = Reach;
    assert.equal(majorityDirect([D, D, R]), true);
    assert.equal(majorityDirect([D, R, U]), false);
    assert.equal(majorityDirect([D, R]), false, "a tie does not prove a direct reach");
    assert.equal(majorityDirect([R, R, R]), false);
    assert.equal(majorityDirect([D, X, X]), true, "reports that do not say are not counted");
    assert.equal(majorityDirect([X, X]), undefined, "nobody said: not measured");
    assert.equal(majorityDirect([]), undefined);
  });

  it("NAT factor: min of the declared type's factor and the measured one (public if reached directly, else symmetric)", () => {
    const p = defaultSettlementParams;
    const pub = natFactor(p, NatType.NAT_TYPE_PUBLIC);
    const cone = natFactor(p, NatType.NAT_TYPE_CONE);
    const sym = natFactor(p, NatType.NAT_TYPE_SYMMETRIC);
    assert.ok(pub > cone && cone > sym);
    assert.equal(measuredNatFactor(p, true), pub);
    assert.equal(measuredNatFactor(p, false), sym);
    assert.equal(measuredNatFactor(p, undefined), undefined);
    assert.equal(appliedNatFactor(pub, measuredNatFactor(p, false)), sym, "declared public, reached only through a relay: the relayed factor");
    assert.equal(appliedNatFactor(pub, measuredNatFactor(p, true)), pub);
    assert.equal(appliedNatFactor(cone, measuredNatFactor(p, true)), cone, "measuring better than declared never raises it");
    assert.equal(appliedNatFactor(sym, measuredNatFactor(p, false)), sym);
    assert.equal(appliedNatFactor(pub, undefined), pub, "not measured: the declared factor");
    const work = { nodeId: 1n, epoch: 1n, deliveredBytes: 0n, storedBytes: 0n, computeUnits: 0n, storageMissed: 0, storageProven: 0, deliveryPaid: "0", storagePaid: "0", computePaid: "0", burned: "0" };
    const text = formula({
      bond: 1n, bonded: true, uptimePermille: 1000, chunkPermille: 1000, latencyMs: 0, latency: DEC_ONE, nat: sym, declaredNat: "1.000000000000000000", measuredNat: "0.700000000000000000",
      region: DEC_ONE, storage: DEC_ONE, score: 0n, nodePool: 0n, totalScore: 0n, availability: 0n, work, usage: 0n, reward: 0n,
    });
    assert.match(text, /nat 0\.7\d* \(min of declared 1\.0+, measured 0\.70+\)/);
  });
});
