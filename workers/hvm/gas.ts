import type { JobStatus } from "./types.ts";

/** Thrown from a host function to end the job with a status other than `trap`; it unwinds through wasm unchanged. */
export class JobStop extends Error {
  constructor(readonly status: Exclude<JobStatus, "ok" | "trap" | "timeout">, message: string) {
    super(message);
  }
}

/** The job's instruction budget. The meter charges a basic block before it runs, so a job stops at a block boundary. */
export class Gas {
  used = 0n;

  constructor(readonly limit: bigint) {}

  /** `hvm.usegas`: also charges host functions for the bytes they move. */
  readonly use = (units: bigint): void => {
    this.used += units;
    if (this.used > this.limit) {
      this.used = this.limit;
      throw new JobStop("out_of_gas", `out of gas: limit of ${this.limit} instructions reached`);
    }
  };
}
