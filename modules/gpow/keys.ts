/** Store keys of aro/gpow. */
const P = "gpow/";
export const pad = (n: bigint) => n.toString().padStart(20, "0");

export const keys = {
  params: P + "params",
  claimsOf: (epoch: bigint) => `${P}claims/${pad(epoch)}/`,
  claim: (epoch: bigint, node: bigint) => `${P}claims/${pad(epoch)}/${pad(node)}`,
  claimsAll: P + "claims/",
  /** Seed of an epoch's storage challenges (from the beacon of its first block). */
  epochSeed: (epoch: bigint) => `${P}epoch_seed/${pad(epoch)}`,
  /** Seed of an epoch's delivery proofs (from the beacon of the first block after its claim window). */
  proofSeed: (epoch: bigint) => `${P}proof_seed/${pad(epoch)}`,
  /** Next epoch whose claims are to be resolved, and the node id to resume from. */
  resolveEpoch: P + "resolve_epoch",
  resolveCursor: P + "resolve_cursor",
  /** The first epoch whose claims, seeds and storage proofs may still be stored: all before it are pruned. */
  pruneEpoch: P + "prune_epoch",
  storageProof: (epoch: bigint, node: bigint, content: bigint) => `${P}storage/${pad(epoch)}/${pad(node)}/${pad(content)}`,
  nextJobId: P + "next_job_id",
  jobs: P + "jobs/",
  job: (id: bigint) => `${P}jobs/${pad(id)}`,
  jobDeadlines: P + "job_deadline/",
  jobDeadline: (height: bigint, id: bigint) => `${P}job_deadline/${pad(height)}/${pad(id)}`,
  nodeJobs: (node: bigint) => `${P}node_jobs/${pad(node)}/`,
  nodeJob: (node: bigint, id: bigint) => `${P}node_jobs/${pad(node)}/${pad(id)}`,
  /** Jobs a node is running (assigned, not resolved) and their memory + output bytes: "jobs:bytes". */
  load: (node: bigint) => `${P}load/${pad(node)}`,
};
