import type { Context } from "../../chain/module.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { marketKeeper as market } from "../market/keeper.ts";
import { peernodeKeeper as peernode } from "../peernode/keeper.ts";

export type UsageKind = "delivery" | "storage" | "compute";

/**
 * Where gpow reports verified work and customers' payments for it: settlement registers
 * this as `hooks: { gpow: … }`, so gpow never writes settlement's store.
 */
export interface WorkSink {
  /** Counts of work done (paid bytes and units, storage challenges). */
  addWork(ctx: Context, epoch: bigint, node: bigint, add: { deliveredBytes?: bigint; storedBytes?: bigint; computeUnits?: bigint; storageMissed?: number; storageProven?: number }): void;
  /** A customer's payment for a node's work, already in the settlement account; returns what was burned of it. */
  addUsage(ctx: Context, epoch: bigint, node: bigint, kind: UsageKind, paid: bigint): bigint;
}

/** The app's work sink (settlement's); a chain without one has nothing to pay work with. */
export function workSink(ctx: Context): WorkSink {
  const [sink] = ctx.hooks.get<WorkSink>("gpow");
  if (!sink) throw new Error("no module takes gpow's work (settlement is missing)");
  return sink;
}

/**
 * What gpow needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * gpow that imports another module, and of each keeper only the methods named here.
 */
export const bankKeeper: Pick<typeof bank, "burnFromModule"> = bank;
export const marketKeeper: Pick<typeof market, "ackedBy" | "denom" | "getEscrow" | "getParams" | "hold" | "holdForNode" | "mustContent" | "release" | "spendReserved"> = market;
export const peernodeKeeper: Pick<typeof peernode, "getNode" | "getParams" | "isBonded" | "mustNode" | "pickNodes" | "requireBonded" | "requireOperator" | "slash"> = peernode;
export { marketErrors } from "../market/errors.ts";
export { JOB_REDUNDANCY_FLOOR } from "../market/params.ts";
export { validateRegion } from "../peernode/validation.ts";
export { settlementParams } from "../settlement/params.ts";
export { settlementStore } from "../settlement/store.ts";
export { minEpoch, recordRetention } from "../settlement/retention.ts";
