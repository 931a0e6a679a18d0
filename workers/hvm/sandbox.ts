import { Worker } from "node:worker_threads";
import type { WorkerJob, WorkerMessage } from "./protocol.ts";
import { JobRefused, type JobLimits, type JobResult } from "./types.ts";

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Budget for starting the worker, instrumenting and compiling, before the job's own clock starts. */
const SETUP_TIMEOUT_MS = 30_000;
/** The worker's JS heap; the job's wasm memory is outside it and capped by the meter. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };

// A worker does not pick up tsx from `--import` on Node 20 (its entry fails with "Unknown file
// extension .ts"), so from the sources it starts from a tiny script that registers tsx and then
// imports the entry. In the CLI bundle (dist/, scripts/build-cli) the entry is the bundled
// hvm-worker.js beside this code.
const BOOT = import.meta.url.endsWith(".ts")
  ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./worker.ts", import.meta.url).href)}); });`
  : `import(${JSON.stringify(new URL("./hvm-worker.js", import.meta.url).href)});`;

export interface SandboxRun {
  result: JobResult;
  /** Instrumenting and compiling, in the worker. */
  prepareMs: number;
  /** Running the job, in the worker (the wall clock, for a timeout). */
  runMs: number;
}

/**
 * Runs a job in its own worker thread. Resolves with the job's result (status `timeout` when the
 * wall clock ran out); rejects with `JobRefused` when the module cannot be run, or with an Error
 * when the worker itself failed.
 */
export async function runJob(wasm: Uint8Array, input: Uint8Array, limits: JobLimits): Promise<JobResult> {
  return (await runInSandbox(wasm, input, limits)).result;
}

export function runInSandbox(wasm: Uint8Array, input: Uint8Array, limits: JobLimits, { metered = true } = {}): Promise<SandboxRun> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, ...chainLimits } = limits;
  const job: WorkerJob = { wasm, input, limits: chainLimits, metered };
  const worker = new Worker(BOOT, { eval: true, execArgv: ["--no-warnings"], workerData: job, resourceLimits: RESOURCE_LIMITS });
  return new Promise((resolve, reject) => {
    let settled = false;
    let prepareMs = 0;
    let started = 0;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    let timer = setTimeout(() => settle(() => reject(new Error(`hvm: worker not ready after ${SETUP_TIMEOUT_MS} ms`))), SETUP_TIMEOUT_MS);

    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "running") {
        prepareMs = m.prepareMs;
        started = performance.now();
        clearTimeout(timer);
        timer = setTimeout(() => settle(() => resolve({ result: timedOut(timeoutMs), prepareMs, runMs: performance.now() - started })), timeoutMs);
      } else if (m.type === "done") {
        settle(() => resolve({ result: m.result, prepareMs, runMs: m.runMs }));
      } else {
        settle(() => reject(new JobRefused(m.reason)));
      }
    });
    worker.on("error", (e) => settle(() => reject(new Error(`hvm: worker failed: ${e.message}`, { cause: e }))));
    worker.on("exit", (code) => settle(() => reject(new Error(`hvm: worker exited with code ${code} before reporting`))));
  });
}

function timedOut(timeoutMs: number): JobResult {
  return { status: "timeout", output: new Uint8Array(), computeUnits: 0n, error: `wall-clock timeout after ${timeoutMs} ms` };
}
