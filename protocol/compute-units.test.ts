import assert from "node:assert/strict";
import { DEC_ONE, decFromString } from "../chain/dec.ts";
import { creditedUnits, MAX_METERED_UNITS, unitCap } from "./compute-units.ts";
import { defaultMarketParams, validateMarketParams } from "../modules/market/params.ts";
import { Gas } from "../workers/hvm/gas.ts";

/** What a job pays (modules/gpow/compute.ts): units x winners x price rounded up, at most what was held. */
const paidFor = (units: bigint, winners: bigint, price: bigint, held: bigint) => {
  const cost = (units * winners * price + DEC_ONE - 1n) / DEC_ONE;
  return cost < held ? cost : held;
};

describe("compute units: capped by the job's limit and by what it paid", () => {
  it("the chain's cap is what an honest meter can report: the limit, or 2^53 - 1 where the meter stops", () => {
    for (const limit of [1n, 4000n, 1_000_000n, MAX_METERED_UNITS - 1n, MAX_METERED_UNITS, MAX_METERED_UNITS + 1n, 1n << 62n]) {
      const gas = new Gas(limit);
      assert.throws(() => {
        for (;;) gas.use(1 << 30);
      }, /out of gas/);
      assert.equal(gas.used, unitCap(limit), `limit ${limit}: the meter stops at the cap`);
    }
    assert.equal(unitCap(1n << 62n), 2n ** 53n - 1n);
  });

  it("credited units never exceed the units, the cap, nor the payment; a job paid in full is credited every unit", () => {
    const prices = ["0.000001", "0.000000000000000001", "0.5", "3"].map((p) => decFromString(p));
    for (const price of prices) {
      for (const units of [0n, 1n, 4000n, 999_999n, 10n ** 9n, 10n ** 15n]) {
        for (const cap of [1n, 1_000_000n, 10n ** 15n]) {
          for (const winners of [1n, 2n, 3n, 7n]) {
            for (const held of [0n, 1n, 7n, 1_000_000n, 10n ** 18n]) {
              const agreed = units < cap ? units : cap;
              const paid = paidFor(agreed, winners, price, held);
              const c = creditedUnits(units, cap, paid, price, winners);
              assert.ok(c <= agreed, "at most the agreed units, within the cap");
              assert.ok(c * price * winners <= paid * DEC_ONE, `credited ${c} x ${winners} nodes is worth more than the ${paid} paid`);
              const fully = paid === (agreed * winners * price + DEC_ONE - 1n) / DEC_ONE;
              if (fully) assert.equal(c, agreed, "a fully paid job is credited all its units");
            }
          }
        }
      }
    }
  });

  it("the attack of the issue: 10^15 units revealed for a job that paid 1 uaro is credited what 1 uaro buys", () => {
    const price = decFromString(defaultMarketParams.prices!.perComputeUnit);
    const paid = paidFor(10n ** 15n, 2n, price, 1n);
    assert.equal(paid, 1n);
    assert.equal(creditedUnits(10n ** 15n, 10n ** 15n, paid, price, 2n), 500_000n, "1 uaro / (0.000001 uaro x 2 nodes)");
    assert.equal(creditedUnits(10n ** 15n, 1_000_000n, 10n ** 9n, price, 2n), 1_000_000n, "and never above the job's limit");
    assert.equal(creditedUnits(4000n, 1_000_000n, 0n, 0n, 2n), 0n, "free compute is credited nothing");
  });
});

describe("market params: min_job_redundancy", () => {
  it("defaults to 2; below 2 or above max_job_redundancy is refused", () => {
    assert.equal(defaultMarketParams.minJobRedundancy, 2);
    validateMarketParams(defaultMarketParams);
    validateMarketParams({ ...defaultMarketParams, minJobRedundancy: defaultMarketParams.maxJobRedundancy });
    for (const min of [0, 1, defaultMarketParams.maxJobRedundancy + 1]) {
      assert.throws(() => validateMarketParams({ ...defaultMarketParams, minJobRedundancy: min }), /min_job_redundancy must be between 2 and max_job_redundancy/);
    }
  });
});
