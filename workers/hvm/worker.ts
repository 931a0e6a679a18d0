// Worker entry: instruments, compiles and runs one job, then reports to the sandbox.
import { parentPort, workerData } from "node:worker_threads";
import { Gas, JobStop } from "./gas.ts";
import { HOST, meter, PAGE_BYTES, WASI_MODULE, type MemoryCap } from "./meter.ts";
import type { WorkerJob, WorkerMessage } from "./protocol.ts";
import { JobRefused, type JobResult } from "./types.ts";
import { JobWasi } from "./wasi.ts";
import { Wasm, type WasmInstance, type WasmMemory, type WasmModule } from "./wasm-api.ts";

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

/** `hvm.memory_grow`: `memory.grow` with the job's limit checked first. */
function growMemory(memory: () => WasmMemory, cap: MemoryCap) {
  return (delta: number): number => {
    const pages = memory().buffer.byteLength / PAGE_BYTES;
    const want = pages + (delta >>> 0);
    if (want > cap.maxPages) {
      if (cap.jobLimit) throw new JobStop("memory_limit", `memory.grow to ${want} pages exceeds the job's limit of ${cap.maxPages} pages`);
      return -1; // the module's own declared maximum: plain wasm semantics
    }
    return memory().grow(delta >>> 0);
  };
}

function run(module: WasmModule, cap: MemoryCap | undefined): JobResult {
  const gas = new Gas(job.limits.maxInstructions);
  const wasi = new JobWasi(job.input, job.limits.maxOutputBytes, gas);
  let instance: WasmInstance | undefined;
  const memory = () => instance!.exports.memory as WasmMemory;
  const hvm = { [HOST.gas]: gas.use, ...(cap ? { [HOST.grow]: growMemory(memory, cap) } : {}) };
  try {
    instance = new Wasm.Instance(module, { [WASI_MODULE]: wasi.imports, [HOST.module]: hvm });
    const exitCode = wasi.start(instance);
    return { status: "ok", output: wasi.output(), computeUnits: gas.used, exitCode };
  } catch (e) {
    const status = e instanceof JobStop ? e.status : "trap";
    return { status, output: wasi.output(), computeUnits: gas.used, error: e instanceof Error ? e.message : String(e) };
  }
}

try {
  const t0 = performance.now();
  const prepared = job.metered ? await meter(job.wasm, job.limits.maxMemoryBytes) : { wasm: job.wasm, memory: undefined };
  const module = await Wasm.compile(prepared.wasm);
  const t1 = performance.now();
  post({ type: "running", prepareMs: t1 - t0 });
  const result = run(module, prepared.memory);
  post({ type: "done", result, runMs: performance.now() - t1 });
} catch (e) {
  if (!(e instanceof JobRefused)) throw e;
  post({ type: "refused", reason: e.message });
}
