import type { JobLimits, JobResult } from "./types.ts";

/** What the sandbox hands its worker (as `workerData`). */
export interface WorkerJob {
  wasm: Uint8Array;
  input: Uint8Array;
  limits: Omit<JobLimits, "timeoutMs">;
  /** false only for benchmarks: runs the module as given, without instrumentation. */
  metered: boolean;
}

export type WorkerMessage =
  | { type: "running"; prepareMs: number } // instrumented and compiled; the job's wall clock starts
  | { type: "done"; result: JobResult; runMs: number }
  | { type: "refused"; reason: string };
