import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { peernodeKeeper as peernode } from "../peernode/keeper.ts";
import { stakingKeeper as staking } from "../staking/keeper.ts";

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

/**
 * What market needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * market that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "getBalance" | "sendCoins" | "sendFromAccountToModule"> = bank;
export const peernodeKeeper: Pick<typeof peernode, "getParams" | "mustRegistered" | "pickNodes" | "requireOperator"> = peernode;
export const stakingKeeper: Pick<typeof staking, "getParams"> = staking;
export { validateRegion } from "../peernode/validation.ts";
