import { createHash } from "node:crypto";

/** What a node commits before revealing: sha256(`${outputCid}:${computeUnits}:${salt}`), as the chain verifies it (modules/gpow). */
export function commitment(outputCid: string, computeUnits: bigint, salt: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(`${outputCid}:${computeUnits}:${salt}`, "utf8").digest());
}
