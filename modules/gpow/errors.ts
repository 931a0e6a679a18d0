import { registerError } from "../../chain/errors.ts";

/** aro gpow codespace. */
export const gpowErrors = {
  outsideWindow: registerError("gpow", 2, "outside the window for this epoch"),
  claimExists: registerError("gpow", 3, "claim already submitted for this node and epoch"),
  claimNotFound: registerError("gpow", 4, "no claim for this node and epoch"),
  invalidClaim: registerError("gpow", 5, "invalid claim"),
  invalidReceipt: registerError("gpow", 6, "invalid receipt"),
  invalidReceiptSignature: registerError("gpow", 7, "receipt signature does not verify"),
  selfDealing: registerError("gpow", 8, "receipt signed by the node's own owner or operator"),
  notCustomer: registerError("gpow", 9, "receipt client is not a paying customer"),
  invalidBranch: registerError("gpow", 10, "branch does not lead to the claimed root and total"),
  unexpectedProof: registerError("gpow", 11, "no proof is due at this offset"),
  notReplica: registerError("gpow", 12, "node does not hold a replica of this content"),
  wrongChallenge: registerError("gpow", 13, "not the challenged chunk and segment"),
  invalidStorageProof: registerError("gpow", 14, "storage proof does not carry the challenged segment's bytes and branches"),
  jobNotFound: registerError("gpow", 15, "job not found"),
  notAssigned: registerError("gpow", 16, "node is not assigned to this job"),
  badCommitment: registerError("gpow", 17, "reveal does not match the commitment"),
  invalidJob: registerError("gpow", 18, "invalid job"),
  alreadyDone: registerError("gpow", 19, "already submitted"),
  unitsOverLimit: registerError("gpow", 20, "compute units above the job's instruction limit"),
  noFittingNodes: registerError("gpow", 21, "too few nodes declare the resources the job's limits need"),
  jobTooLarge: registerError("gpow", 22, "job's max_instructions above max_job_instructions"),
} as const;
