import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { compileWat, type JobLimits } from "./index.ts";
import { BASE_BUDGET_MS, MIN_UNITS_PER_MS, wallClockBudgetMs } from "./budget.ts";
import { resultId, runDeterministic } from "./executor.ts";

const job = async (name: string) => compileWat(await readFile(new URL(`./jobs/${name}.wat`, import.meta.url), "utf8"), `${name}.wat`);
const limits = (over: Partial<JobLimits> = {}): JobLimits => ({ maxInstructions: 2_000_000n, maxMemoryBytes: 4n << 20n, maxOutputBytes: 1024n, timeoutMs: 60_000, ...over });

describe("PeerHVM: a job that exhausts its limits has one agreed result, whatever the machine", () => {
  it("out of gas: three workers commit the same status:out_of_gas with units = the cap", async () => {
    const wasm = await job("time-bomb");
    const runs = await Promise.all([0, 1, 2].map(() => runDeterministic(wasm, new Uint8Array(), limits())));
    for (const r of runs) assert.deepEqual([r.status, r.computeUnits, resultId(r)], ["out_of_gas", 2_000_000n, "status:out_of_gas"]);
  });

  it("out of memory: the job's max_memory_bytes, as wasm pages, ends it with status:memory_limit at the same units on every run", async () => {
    const wasm = await job("memory-bomb");
    const runs = await Promise.all([0, 1].map(() => runDeterministic(wasm, new Uint8Array(), limits({ maxInstructions: 10n ** 9n }))));
    for (const r of runs) assert.equal(resultId(r), "status:memory_limit");
    assert.equal(runs[0].computeUnits, runs[1].computeUnits);
    assert.ok(runs[0].computeUnits < 10n ** 9n);
  });

  it("a module the sandbox refuses is a result too (status:refused, 0 units), not a missing reveal", async () => {
    const r = await runDeterministic(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1]), new Uint8Array(), limits());
    assert.deepEqual([resultId(r), r.computeUnits], ["status:refused", 0n]);
  });

  it("the agent's wall-clock budget grows with the instruction cap: it never ends a job metering would finish at the floor rate", () => {
    assert.equal(wallClockBudgetMs(0n), BASE_BUDGET_MS);
    for (const cap of [10n ** 6n, 10n ** 9n, 10n ** 12n]) assert.ok(BigInt(wallClockBudgetMs(cap)) >= BigInt(BASE_BUDGET_MS) + cap / MIN_UNITS_PER_MS, `cap ${cap}`);
    assert.ok(wallClockBudgetMs(10n ** 12n) > 60_000, "a 10^12-instruction job is not cut at a fixed minute");
    assert.equal(wallClockBudgetMs(1n << 63n), 2_147_483_647, "within setTimeout's range");
  });
});
