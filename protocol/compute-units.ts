import { DEC_ONE } from "../chain/dec.ts";

/**
 * Compute units: what the PeerHVM meter counts (workers/hvm/gas.ts: one per wasm
 * instruction, plus the meter's own calls and bytes moved by WASI) and what the chain
 * credits as work. The meter stops a job at its max_instructions, and counts in a
 * float64 that is exact up to 2^53 - 1, where it stops too: an honest node never reports
 * more than `unitCap(max_instructions)`.
 */
export const MAX_METERED_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

/** Most units a job can have taken: its instruction limit, or the meter's ceiling. */
export function unitCap(maxInstructions: bigint): bigint {
  return maxInstructions < MAX_METERED_UNITS ? maxInstructions : MAX_METERED_UNITS;
}

/**
 * Units credited as work to each of `winners` nodes that agreed on `units`: never above
 * the job's cap, and never beyond what the job paid, so credited x price x winners <= paid
 * (`price` per unit, 18 decimals; rounded down). A price of 0 pays nothing: nothing is
 * credited.
 */
export function creditedUnits(units: bigint, cap: bigint, paid: bigint, price: bigint, winners: bigint): bigint {
  const taken = units < cap ? units : cap;
  if (price <= 0n || winners <= 0n || paid <= 0n) return 0n;
  const covered = (paid * DEC_ONE) / (price * winners);
  return taken < covered ? taken : covered;
}
