import type { JobLimits } from "./types.ts";

const MIB = 1_048_576n;
/** A job runs on one thread, so a node must offer at least one core. */
export const MIN_JOB_MILLICORES = 1000n;

/**
 * Why a node with these declared resources should not take the job, or undefined if it can.
 * The job holds at most its memory limit plus its output at once.
 */
export function refuseIfTooLarge(limits: JobLimits, declared: { memoryMb: bigint; cpuMillicores: bigint }): string | undefined {
  const needed = limits.maxMemoryBytes + limits.maxOutputBytes;
  if (needed > declared.memoryMb * MIB) {
    return `job needs up to ${needed} bytes (memory ${limits.maxMemoryBytes} + output ${limits.maxOutputBytes}), node declares ${declared.memoryMb} MiB`;
  }
  if (declared.cpuMillicores < MIN_JOB_MILLICORES) {
    return `job needs ${MIN_JOB_MILLICORES} millicores (one core), node declares ${declared.cpuMillicores}`;
  }
  return undefined;
}
