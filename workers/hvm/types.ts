/** A job's limits as the chain states them (`aro.gpow.v1.JobLimits`), plus the node's own wall-clock budget. */
export interface JobLimits {
  maxInstructions: bigint;
  maxMemoryBytes: bigint;
  maxOutputBytes: bigint;
  /** Wall-clock budget for running the job (node-local, so a timeout is never a consensus result). */
  timeoutMs?: number;
}

/**
 * How a job ended. All but `timeout` are deterministic: every honest node gets the same
 * status, output and units, and commits them (`out_of_gas`: the instruction cap reached;
 * `memory_limit`: more wasm pages than max_memory_bytes allows; `refused`: a module the
 * sandbox cannot run, found before it starts, 0 units).
 */
export type JobStatus = "ok" | "out_of_gas" | "memory_limit" | "output_limit" | "timeout" | "trap" | "refused";

export interface JobResult {
  status: JobStatus;
  /** What the job wrote to stdout (up to the point it stopped). */
  output: Uint8Array;
  /**
   * Gas used, identical on every node for the same wasm and input whatever the status (0 for
   * `timeout`): one per wasm instruction run, plus 2 per basic block for the meter's own call, plus
   * one per byte (and per iovec) that a WASI call moves; equal to the limit for `out_of_gas`.
   */
  computeUnits: bigint;
  /** The code the program passed to `proc_exit` (0 when `_start` returned). */
  exitCode?: number;
  error?: string;
}

/** Thrown by `runJob` when a module cannot be run at all (not wasm, unsupported, over the memory limit). */
export class JobRefused extends Error {
  override readonly name = "JobRefused";
}
