import type { Context } from "../../chain/module.ts";

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
