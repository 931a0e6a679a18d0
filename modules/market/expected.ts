import type { KVReader } from "../../chain/store/kv.ts";

/**
 * What market needs from the modules that charge escrow for work after it is done
 * (gpow: delivery claims are made after the epoch): registered as `hooks: { market: … }`.
 */
export interface ChargeWindowHooks {
  /** The last height at which work done at `height` can still be charged to a customer. */
  chargeableUntil(state: KVReader, height: bigint): bigint;
}
