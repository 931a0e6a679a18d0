// PeerHVM: runs WASI compute jobs in a metered, deterministic sandbox.
export { refuseIfTooLarge } from "./admission.ts";
export { runJob } from "./sandbox.ts";
export { JobRefused, type JobLimits, type JobResult, type JobStatus } from "./types.ts";
export { compileWat } from "./wat.ts";
