import { Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { MAX_METERED_UNITS } from "../../protocol/compute-units.ts";

/**
 * Default max_job_instructions: 2 x 10^8. An honest agent must fetch, run and commit a job
 * inside commit_window (default 20 blocks, about 20 s at the default 1 s timeout_commit).
 * workers/hvm/budget.ts counts on every honest node metering at least MIN_UNITS_PER_MS
 * = 20,000 units per millisecond on its one core (25x slower than a 2024 server); at that
 * floor 2 x 10^8 units run in 10 s, half the window, leaving the other half for fetching the
 * wasm and input and getting the commitment into a block. A chain with longer blocks or a
 * longer commit window may raise it by governance (at most the meter's exact ceiling).
 */
export const DEFAULT_MAX_JOB_INSTRUCTIONS = 200_000_000n;

/** Most clients one claim can list: 1,000 tallies measured 292,093 bytes, over the 262,144-byte tx limit. */
export const MAX_CLIENTS_PER_CLAIM = 800;

/**
 * Default max_grant_epochs: 720 epochs, 30 days at the default epoch of 3,600 one-second
 * blocks. A grant's usage stays in state until its expiry's claims are resolved, so this is
 * how long the chain keeps one (a grant expiring later pays only in its last 720 epochs).
 */
export const DEFAULT_MAX_GRANT_EPOCHS = 720n;

export const defaultGpowParams: Params = {
  claimWindow: 20n,
  proofWindow: 20n,
  alwaysProveBytes: 1_000_000_000n,
  proveProbability: "0.250000000000000000",
  proofsPerClaim: 1,
  // each client's tally is a signed receipt (~300 bytes): 500 keep a claim far under the tx limit
  maxClientsPerClaim: 500,
  deliverySlashFraction: "0.050000000000000000",
  storageWindow: 100n,
  storageSlashFraction: "0.010000000000000000",
  commitWindow: 20n,
  revealWindow: 20n,
  computeSlashFraction: "0.050000000000000000",
  maxJobRounds: 3,
  maxResolutionsPerBlock: 250,
  jobFailureFee: "1000",
  maxJobInstructions: DEFAULT_MAX_JOB_INSTRUCTIONS,
  maxGrantEpochs: DEFAULT_MAX_GRANT_EPOCHS,
};

export function validateGpowParams(p: Params): void {
  for (const [name, v] of [["claim_window", p.claimWindow], ["proof_window", p.proofWindow], ["storage_window", p.storageWindow], ["commit_window", p.commitWindow], ["reveal_window", p.revealWindow]] as const) {
    if (v <= 0n) throw sdkErrors.invalidRequest.wrap(`${name} must be positive`);
  }
  for (const [name, v] of [["prove_probability", p.proveProbability], ["delivery_slash_fraction", p.deliverySlashFraction], ["storage_slash_fraction", p.storageSlashFraction], ["compute_slash_fraction", p.computeSlashFraction]] as const) {
    const d = decFromString(v, name);
    if (d > DEC_ONE) throw sdkErrors.invalidRequest.wrap(`${name} must be between 0 and 1`);
  }
  if (p.proofsPerClaim === 0 || p.proofsPerClaim > 16) throw sdkErrors.invalidRequest.wrap("proofs_per_claim must be between 1 and 16");
  if (p.maxJobInstructions === 0n || p.maxJobInstructions > MAX_METERED_UNITS) throw sdkErrors.invalidRequest.wrap(`max_job_instructions must be between 1 and ${MAX_METERED_UNITS} (the meter's exact ceiling)`);
  // a claim carries one signed tally (~300 bytes) per client and must fit in one tx (MAX_TX_BYTES, 256 KiB)
  if (p.maxClientsPerClaim > MAX_CLIENTS_PER_CLAIM) throw sdkErrors.invalidRequest.wrap(`max_clients_per_claim is at most ${MAX_CLIENTS_PER_CLAIM}: a claim with more tallies would not fit in a tx`);
  if (p.maxGrantEpochs === 0n) throw sdkErrors.invalidRequest.wrap("max_grant_epochs must be positive");
  if (p.maxClientsPerClaim === 0 || p.maxResolutionsPerBlock === 0 || p.maxJobRounds === 0) throw sdkErrors.invalidRequest.wrap("max_clients_per_claim, max_resolutions_per_block and max_job_rounds must be positive");
}
