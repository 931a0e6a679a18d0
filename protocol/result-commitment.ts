import { createHash } from "node:crypto";

/** What a node commits to before revealing a job's result: sha256(output_cid ":" compute_units ":" salt). */
export function resultCommitment(outputCid: string, computeUnits: bigint, salt: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(`${outputCid}:${computeUnits}:${salt}`).digest());
}
