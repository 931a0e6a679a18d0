import assert from "node:assert/strict";
import { runDemo } from "../../scripts/demo.ts";

describe("e2e: `npm run demo` — 4 validators, 4 agents and a watcher doing real work to a settled epoch", function () {
  this.timeout(600_000);
  it("publishes, fetches through routing from several nodes (verified), runs a wasm job on 3 nodes with equal compute units, and pays every working node with an explanation", async () => {
    const lines: string[] = [];
    const s = await runDemo({ log: (l) => lines.push(l) });
    const output = lines.join("\n");
    assert.equal(s.fetch.bytes, 1 << 20);
    assert.equal(s.fetch.verified, true);
    assert.ok(Object.keys(s.fetch.servedBy).length >= 2, `served by ${JSON.stringify(s.fetch.servedBy)}`);
    assert.ok(s.fetch.receipts >= 2);
    assert.equal(s.job.status, "JOB_STATUS_DONE", output);
    assert.equal(s.job.executions.length, 3);
    assert.equal(new Set(s.job.executions.map((e) => `${e.computeUnits}/${e.outputCid}`)).size, 1, `every node: same output and compute units\n${output}`);
    assert.ok(BigInt(s.job.executions[0].computeUnits) > 0n);
    assert.match(s.job.output, /^[0-9a-f]{8}$/);
    const paid = s.rewards.filter((r) => BigInt(r.reward) > 0n);
    assert.ok(new Set(paid.map((r) => r.nodeId)).size >= 3, output);
    for (const r of paid) assert.match(r.formula, new RegExp(`= ${r.reward}$`));
    for (const r of s.rewards) assert.ok(s.epochs.includes(r.epoch));
  });
});
