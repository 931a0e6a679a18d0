import assert from "node:assert/strict";
import { DEC_ONE } from "../chain/dec.ts";
import { deliveryCostAt, deliveryCostCeil } from "./delivery.ts";
import { GB } from "./units.ts";

describe("delivery price (protocol/delivery.ts)", () => {
  it("the chain charges the price rounded down; a customer allots it rounded up, so an allotment always covers the charge", () => {
    const price = 3n * DEC_ONE; // 3 uaro per GB
    assert.equal(deliveryCostAt(GB, price), 3n);
    assert.equal(deliveryCostCeil(GB, price), 3n, "exact: no extra uaro");
    assert.equal(deliveryCostAt(100_000n, price), 0n, "100 kB at 3 uaro/GB is charged nothing");
    assert.equal(deliveryCostCeil(100_000n, price), 1n, "but allotted 1 uaro");
    for (const bytes of [1n, 999_999n, GB + 1n, 7n * GB - 3n]) assert.ok(deliveryCostCeil(bytes, price) - deliveryCostAt(bytes, price) <= 1n && deliveryCostCeil(bytes, price) >= deliveryCostAt(bytes, price));
  });
});
