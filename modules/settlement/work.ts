import { EpochPhase, EpochSettlement, NodeWork } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { settlementParams } from "./params.ts";
import { SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
import { settlementStore as c } from "./store.ts";
import { authKeeper, bankKeeper, mintKeeper } from "./expected.ts";

/** What a customer paid for (gpow's UsageKind). */
type UsageKind = "delivery" | "storage" | "compute";
const int = (s: string) => (s ? BigInt(s) : 0n);
const atLeastUnsettled = (state: KVReader, epoch: bigint) => {
  const next = c.nextToSettle.peek(state);
  return epoch < next ? next : epoch;
};
const closed = (s: EpochSettlement) => s.phase === EpochPhase.EPOCH_PHASE_PAYING || s.phase === EpochPhase.EPOCH_PHASE_SETTLED;

/** Verified work and the money of each epoch, written as proofs are accepted and customers pay, read by settlement. */
export const settlementWork = {
  getWork(state: KVReader, epoch: bigint, node: bigint): NodeWork {
    return c.work.get(state, [epoch, node]) ?? {
      nodeId: node, epoch, deliveredBytes: 0n, storedBytes: 0n, computeUnits: 0n, storageMissed: 0, storageProven: 0,
      deliveryPaid: "0", storagePaid: "0", computePaid: "0", burned: "0",
    };
  },
  setWork(store: KVStore, w: NodeWork): void {
    c.work.set(store, [w.epoch, w.nodeId], w);
  },
  /** Counts of work (paid bytes and units, storage challenges); money goes through addUsage. */
  addWork(ctx: Context, epoch: bigint, node: bigint, add: { deliveredBytes?: bigint; storedBytes?: bigint; computeUnits?: bigint; storageMissed?: number; storageProven?: number }): void {
    const w = this.getWork(ctx.store, epoch, node);
    this.setWork(ctx.store, {
      ...w,
      deliveredBytes: w.deliveredBytes + (add.deliveredBytes ?? 0n),
      storedBytes: w.storedBytes + (add.storedBytes ?? 0n),
      computeUnits: w.computeUnits + (add.computeUnits ?? 0n),
      storageMissed: w.storageMissed + (add.storageMissed ?? 0),
      storageProven: w.storageProven + (add.storageProven ?? 0),
    });
  },

  /**
   * A customer's payment for a node's work, already moved into the settlement account:
   * burn_share of it is burned at once, the rest is owed to the node at its epoch's
   * settlement (an epoch already paying out passes it to the next one). Returns the burn.
   */
  addUsage(ctx: Context, epoch: bigint, node: bigint, kind: UsageKind, paid: bigint): bigint {
    if (paid <= 0n) return 0n;
    // every epoch before the next to settle is paid out (its record may be pruned): start from there
    let s = this.getEpoch(ctx.store, atLeastUnsettled(ctx.store, epoch));
    while (closed(s)) s = this.getEpoch(ctx.store, s.epoch + 1n);
    const burned = (paid * decFromString(settlementParams.get(ctx.store).burnShare)) / DEC_ONE;
    if (burned > 0n) bankKeeper.burnFromModule(ctx, SETTLEMENT_POOL, [{ denom: mintKeeper.getParams(ctx.store).mintDenom, amount: burned }]);
    const w = this.getWork(ctx.store, s.epoch, node);
    const field = `${kind}Paid` as const;
    this.setWork(ctx.store, { ...w, [field]: (int(w[field]) + paid).toString(), burned: (int(w.burned) + burned).toString() });
    this.setEpoch(ctx.store, { ...s, usageIncome: (int(s.usageIncome) + paid - burned).toString(), burned: (int(s.burned) + burned).toString() });
    ctx.events.emit("usage_paid", { node_id: node.toString(), epoch: s.epoch.toString(), kind, paid: paid.toString(), burned: burned.toString() });
    return burned;
  },

  getEpoch(state: KVReader, epoch: bigint): EpochSettlement {
    return c.epochs.get(state, epoch) ?? { epoch, pool: "0", watcherPool: "0", totalScore: "0", phase: EpochPhase.EPOCH_PHASE_OPEN, cursor: 0n, paid: "0", nodesScored: 0n, usageIncome: "0", burned: "0" };
  },
  setEpoch(store: KVStore, s: EpochSettlement): void {
    c.epochs.set(store, s.epoch, s);
  },
  /** Adds to an epoch's availability pool (inflation); the coins must already be in the settlement account. */
  fundEpoch(ctx: Context, epoch: bigint, amount: bigint): void {
    if (amount <= 0n) return;
    authKeeper.getOrCreateModuleAccount(ctx.store, SETTLEMENT_POOL);
    const s = this.getEpoch(ctx.store, atLeastUnsettled(ctx.store, epoch));
    // an epoch already paying out keeps its pool fixed: late money goes to the next one
    if (closed(s)) return this.fundEpoch(ctx, s.epoch + 1n, amount);
    this.setEpoch(ctx.store, { ...s, pool: (BigInt(s.pool) + amount).toString() });
  },
};

/**
 * What settlement offers gpow: registered as its `gpow` hooks, gpow's WorkSink
 * (modules/gpow/expected.ts; the app's module list checks the two agree).
 */
export const gpowWorkSink = settlementWork;
