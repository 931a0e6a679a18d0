import assert from "node:assert/strict";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { defaultMinter } from "./keeper.ts";
import { annualProvisions, blockProvision, nextInflation } from "./minter.ts";
import { defaultMintParams } from "./params.ts";

describe("mint: the inflation rule", () => {
  it("rises below the bonded goal, falls above it, stays within [min, max]", () => {
    const p = defaultMintParams;
    const at = (ratio: string) => nextInflation(defaultMinter, p, decFromString(ratio));
    const start = decFromString("0.13");
    assert.ok(at("0") > start);
    assert.ok(at("0.9") < start);
    assert.equal(at("0.67"), start, "at the goal it does not move");
    // one year of blocks at 0% bonded: +13% a year, capped at 20%
    assert.equal(at("0") - start, (decFromString("0.13")) / p.blocksPerYear);
    assert.equal(nextInflation({ inflation: decFromString("0.2").toString(), annualProvisions: "0" }, p, 0n), decFromString("0.2"));
    assert.equal(nextInflation({ inflation: decFromString("0.07").toString(), annualProvisions: "0" }, p, DEC_ONE), decFromString("0.07"));
  });

  it("mints annual provisions / blocks per year, rounded down", () => {
    const annual = annualProvisions(decFromString("0.1"), 6_311_520_000_000n);
    assert.equal(annual, 631_152_000_000n * DEC_ONE);
    assert.equal(blockProvision(annual, defaultMintParams), 100_000n);
  });
});
