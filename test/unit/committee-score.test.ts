import assert from "node:assert/strict";
import { committeeFor, median } from "../../modules/keeper/committee.ts";
import { latencyFactor, rewardOf, score, storageFactor, usageIncome, workValue } from "../../modules/settlement/score.ts";
import { DEC_ONE } from "../../chain/dec.ts";

const snapshot = (keepers: Array<[string, string, bigint]>, seed = 1) => ({
  epoch: 7n, seed: new Uint8Array(32).fill(seed), keepers: keepers.map(([address, region, stake]) => ({ address, region, stake: stake.toString() })),
});

describe("keeper committees and settlement scores (pure)", () => {
  it("a committee has distinct keepers, is the same for everyone, and changes with the seed", () => {
    const s = snapshot(Array.from({ length: 20 }, (_, i) => [`k${i}`, i < 10 ? "europe" : "asia", 1000n] as [string, string, bigint]));
    const c = committeeFor(s, 42n, "europe", 3);
    assert.equal(new Set(c).size, 3);
    assert.deepEqual(committeeFor(s, 42n, "europe", 3), c, "deterministic");
    assert.ok(c.every((k) => Number(k.slice(1)) < 10), "drawn from the node's region when it has enough keepers");
    const other = Array.from({ length: 30 }, (_, n) => committeeFor(snapshot(s.keepers.map((e) => [e.address, e.region, 1000n]), n + 2), 42n, "europe", 3).join());
    assert.ok(new Set(other).size > 10, "another seed, another committee");
    assert.ok(committeeFor(s, 1n, "oceania", 3).length === 3, "a region without enough keepers draws from all");
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
});
