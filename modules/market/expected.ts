import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";

/**
 * What market needs from the modules that charge escrow for work after it is done
 * (gpow: delivery claims are made after the epoch): registered as `hooks: { market: … }`.
 */
export interface ChargeWindowHooks {
  /** The last height at which work done at `height` can still be charged to a customer. */
  chargeableUntil(state: KVReader, height: bigint): bigint;
}

/**
 * What market needs from the module that scores epochs (settlement: it counts storage
 * challenges from the acks market keeps): registered as `hooks: { market: … }`.
 */
export interface SettlementProgressHooks {
  /** The last epoch settled (scored and paid), every earlier one too; -1 before the first. */
  settledThrough(state: KVReader): bigint;
}

/** The `market` hooks that implement `method` (each module registers only its own part). */
export function marketHooks<T extends object>(ctx: Context, method: keyof T & string): T[] {
  return ctx.hooks.get<object>("market").filter((h): h is T => method in h);
}
