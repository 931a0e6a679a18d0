import { createHash } from "node:crypto";
import { sdkErrors } from "./errors.ts";

const enc = new TextEncoder();

/** sha256 over the parts (strings as UTF-8), each followed by a separator byte. */
export function sha256(...parts: Array<Uint8Array | string>): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(typeof p === "string" ? enc.encode(p) : p);
    h.update(Uint8Array.of(0x1f));
  }
  return new Uint8Array(h.digest());
}

/** A 128-bit number drawn from a seed and labels (deterministic: every validator gets the same). */
export function seededUint(seed: Uint8Array, ...labels: string[]): bigint {
  return BigInt("0x" + Buffer.from(sha256(seed, ...labels).subarray(0, 16)).toString("hex"));
}

/** A uniform-enough index in [0, size) from a seed and labels (bias < 2^-64 for sizes below 2^64). */
export function seededIndex(seed: Uint8Array, size: bigint, ...labels: string[]): bigint {
  if (size <= 0n) throw sdkErrors.internal.wrap("seeded draw from an empty set");
  return seededUint(seed, ...labels) % size;
}
