import { Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

export const defaultGpowParams: Params = {
  claimWindow: 20n,
  proofWindow: 20n,
  alwaysProveBytes: 1_000_000_000n,
  proveProbability: "0.250000000000000000",
  proofsPerClaim: 1,
  maxClientsPerClaim: 1000,
  deliverySlashFraction: "0.050000000000000000",
  storageWindow: 100n,
  storageSlashFraction: "0.010000000000000000",
  commitWindow: 20n,
  revealWindow: 20n,
  computeSlashFraction: "0.050000000000000000",
  maxJobRounds: 3,
  maxResolutionsPerBlock: 250,
  jobFailureFee: "1000",
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
  if (p.maxClientsPerClaim === 0 || p.maxResolutionsPerBlock === 0 || p.maxJobRounds === 0) throw sdkErrors.invalidRequest.wrap("max_clients_per_claim, max_resolutions_per_block and max_job_rounds must be positive");
}
