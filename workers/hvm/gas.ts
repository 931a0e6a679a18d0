import { MAX_METERED_UNITS } from "../../protocol/compute-units.ts";
import type { JobStatus } from "./types.ts";

/** Thrown from a host function to end the job with a status other than `trap`; it unwinds through wasm unchanged. */
export class JobStop extends Error {
  constructor(readonly status: Exclude<JobStatus, "ok" | "trap" | "timeout" | "refused">, message: string) {
    super(message);
  }
}

/**
 * The job's instruction budget. The meter charges a basic block before it runs, so a job
 * stops at a block boundary, and `used` never exceeds the limit (the chain refuses a reveal
 * above it). Counted in a float64, exact up to 2^53 - 1 units (MAX_METERED_UNITS; a limit
 * above that is treated as it, as the chain does): an i32 argument and a number add are
 * ~2× cheaper per block than an i64 argument, which crosses into JS as a BigInt.
 */
export class Gas {
  private count = 0;
  private readonly max: number;

  constructor(readonly limit: bigint) {
    this.max = Number(limit > MAX_METERED_UNITS ? MAX_METERED_UNITS : limit);
  }

  get used(): bigint {
    return BigInt(this.count);
  }

  /** `hvm.usegas`: also charges host functions for the bytes they move. */
  readonly use = (units: number): void => {
    this.count += units;
    if (this.count > this.max) {
      this.count = this.max;
      throw new JobStop("out_of_gas", `out of gas: limit of ${this.limit} instructions reached`);
    }
  };
}
