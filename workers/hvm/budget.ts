import { unitCap } from "../../protocol/compute-units.ts";

/**
 * The agent's wall-clock budget for a job, derived from the job's instruction cap so that
 * the clock never ends a job that metering would finish. What a job costs and what the
 * nodes agree on is metered, never timed: a job that exhausts max_instructions ends
 * `out_of_gas` with units = the cap, deterministically, well before this budget on any
 * node that meters at least MIN_UNITS_PER_MS (a tight wasm loop meters ~500,000 units/ms on
 * one core of a 2024 server; the floor is 25× slower). A node slower than that is
 * under-provisioned for the one core it declared: it has no result to commit, so it is
 * slashed only if a majority of the other fitting nodes did reveal one.
 */
export const MIN_UNITS_PER_MS = 20_000n;
/** Budget for a job of no instructions: fetching is separate, this covers start-up and I/O. */
export const BASE_BUDGET_MS = 60_000;
/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647n;

export function wallClockBudgetMs(maxInstructions: bigint): number {
  const ms = BigInt(BASE_BUDGET_MS) + (unitCap(maxInstructions) + MIN_UNITS_PER_MS - 1n) / MIN_UNITS_PER_MS;
  return Number(ms < MAX_TIMER_MS ? ms : MAX_TIMER_MS);
}
