// PeerHVM metering overhead: jobs/cpu-loop.wat (a tight 64-bit arithmetic loop, the worst case
// for per-basic-block metering) run as given and instrumented, alternately, each in a fresh
// sandbox worker with the same WASI imports. Times are measured inside the worker, from
// instantiation to the end of `_start` (worker start-up, instrumentation and compilation excluded).
//   bash scripts/bench-hvm [--iterations 50000000] [--reps 5]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { runInSandbox } from "../workers/hvm/sandbox.ts";
import { compileWat } from "../workers/hvm/wat.ts";

const { values: args } = parseArgs({ options: { iterations: { type: "string", default: "50000000" }, reps: { type: "string", default: "5" } } });
const reps = Number(args.reps);
const log = (s: string) => process.stderr.write(s + "\n");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const wasm = await compileWat(await readFile(new URL("../workers/hvm/jobs/cpu-loop.wat", import.meta.url), "utf8"), "cpu-loop.wat");
  const input = new TextEncoder().encode(args.iterations);
  const limits = { maxInstructions: 1n << 62n, maxMemoryBytes: 1n << 20n, maxOutputBytes: 64n, timeoutMs: 600_000 };
  log(`bench-hvm: cpu-loop.wat, ${args.iterations} iterations, ${reps} repetitions each, node ${process.version}`);

  const plain: number[] = [];
  const metered: number[] = [];
  let units = 0n;
  let output = "";
  for (let i = 0; i < reps; i++) {
    const p = await runInSandbox(wasm, input, limits, { metered: false });
    const m = await runInSandbox(wasm, input, limits, { metered: true });
    for (const r of [p, m]) if (r.result.status !== "ok") throw new Error(`run failed: ${r.result.status} ${r.result.error ?? ""}`);
    const out = Buffer.from(m.result.output).toString().trim();
    if (out !== Buffer.from(p.result.output).toString().trim() || (units && m.result.computeUnits !== units)) throw new Error("runs disagree");
    units = m.result.computeUnits;
    output = out;
    plain.push(p.runMs);
    metered.push(m.runMs);
    log(`  rep ${i + 1}: unmetered ${p.runMs.toFixed(1)} ms, metered ${m.runMs.toFixed(1)} ms (instrument + compile ${m.prepareMs.toFixed(1)} ms)`);
  }

  const p = median(plain);
  const m = median(metered);
  console.log(`output ${output}, identical in every run`);
  console.log(`instructions counted (compute units): ${units} (${(Number(units) / Number(args.iterations)).toFixed(1)} per iteration)`);
  console.log(`unmetered: median ${p.toFixed(1)} ms (${(Number(units) / p / 1000).toFixed(0)} M instructions/s)`);
  console.log(`metered:   median ${m.toFixed(1)} ms (${(Number(units) / m / 1000).toFixed(0)} M instructions/s)`);
  console.log(`metering overhead: metered/unmetered = ${(m / p).toFixed(2)}x`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
