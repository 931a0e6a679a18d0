import type { JobLimits } from "../proto/gen/aro/gpow/v1/gpow.ts";
import type { Resources } from "../proto/gen/aro/peernode/v1/peernode.ts";

const MIB = 1_048_576n;
/** A job runs on one thread, so a node must offer at least one core. */
export const MIN_JOB_MILLICORES = 1000n;

/**
 * Why a node declaring `declared` cannot take a job with `limits`, or undefined if it can:
 * the job holds at most its memory limit plus its output at once, on one core. The chain
 * draws jobs only among nodes this accepts, and the agent checks the same, so an honest
 * node is never given a job it would refuse.
 */
export function jobMisfit(limits: Pick<JobLimits, "maxMemoryBytes" | "maxOutputBytes">, declared: Pick<Resources, "memoryMb" | "cpuMillicores"> | undefined): string | undefined {
  const memoryMb = declared?.memoryMb ?? 0n;
  const cpu = declared?.cpuMillicores ?? 0n;
  const needed = limits.maxMemoryBytes + limits.maxOutputBytes;
  if (needed > memoryMb * MIB) return `job needs up to ${needed} bytes (memory ${limits.maxMemoryBytes} + output ${limits.maxOutputBytes}), node declares ${memoryMb} MiB`;
  if (cpu < MIN_JOB_MILLICORES) return `job needs ${MIN_JOB_MILLICORES} millicores (one core), node declares ${cpu}`;
  return undefined;
}

export const jobFits = (limits: Pick<JobLimits, "maxMemoryBytes" | "maxOutputBytes">, declared: Pick<Resources, "memoryMb" | "cpuMillicores"> | undefined): boolean => jobMisfit(limits, declared) === undefined;
