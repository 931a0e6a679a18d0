import { jobMisfit, MIN_JOB_MILLICORES } from "../../protocol/job-fit.ts";
import type { JobLimits } from "./types.ts";

export { MIN_JOB_MILLICORES };

/**
 * Why a node with these declared resources should not take the job, or undefined if it can.
 * The same predicate the chain draws jobs with (protocol/job-fit.ts), so an honest node
 * is never assigned a job it refuses here.
 */
export function refuseIfTooLarge(limits: JobLimits, declared: { memoryMb: bigint; cpuMillicores: bigint }): string | undefined {
  return jobMisfit(limits, declared);
}
