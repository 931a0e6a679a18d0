import { EpochPhase, EpochSettlement, NodeWork } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper } from "../auth/keeper.ts";
import { keys, SETTLEMENT_POOL } from "./keys.ts";

/** Verified work and the money of each epoch, written by gpow as proofs are accepted, read by settlement. */
export const settlementWork = {
  getWork(state: KVReader, epoch: bigint, node: bigint): NodeWork {
    const raw = state.get(keys.work(epoch, node));
    return raw ? NodeWork.decode(raw) : { nodeId: node, epoch, deliveredBytes: 0n, storedBytes: 0n, computeUnits: 0n, storageMissed: 0 };
  },
  setWork(store: KVStore, w: NodeWork): void {
    store.set(keys.work(w.epoch, w.nodeId), NodeWork.encode(w).finish());
  },
  addWork(ctx: Context, epoch: bigint, node: bigint, add: { deliveredBytes?: bigint; storedBytes?: bigint; computeUnits?: bigint; storageMissed?: number }): void {
    const w = this.getWork(ctx.store, epoch, node);
    this.setWork(ctx.store, {
      ...w,
      deliveredBytes: w.deliveredBytes + (add.deliveredBytes ?? 0n),
      storedBytes: w.storedBytes + (add.storedBytes ?? 0n),
      computeUnits: w.computeUnits + (add.computeUnits ?? 0n),
      storageMissed: w.storageMissed + (add.storageMissed ?? 0),
    });
  },

  getEpoch(state: KVReader, epoch: bigint): EpochSettlement {
    const raw = state.get(keys.epoch(epoch));
    return raw ? EpochSettlement.decode(raw) : { epoch, pool: "0", keeperPool: "0", totalScore: "0", phase: EpochPhase.EPOCH_PHASE_OPEN, cursor: 0n, paid: "0", nodesScored: 0n };
  },
  setEpoch(store: KVStore, s: EpochSettlement): void {
    store.set(keys.epoch(s.epoch), EpochSettlement.encode(s).finish());
  },
  /** Adds to an epoch's reward pool; the coins must already be in the settlement account. */
  fundEpoch(ctx: Context, epoch: bigint, amount: bigint): void {
    if (amount <= 0n) return;
    authKeeper.getOrCreateModuleAccount(ctx.store, SETTLEMENT_POOL);
    const s = this.getEpoch(ctx.store, epoch);
    // an epoch already paying out keeps its pool fixed: late money goes to the next one
    if (s.phase === EpochPhase.EPOCH_PHASE_PAYING || s.phase === EpochPhase.EPOCH_PHASE_SETTLED) return this.fundEpoch(ctx, epoch + 1n, amount);
    this.setEpoch(ctx.store, { ...s, pool: (BigInt(s.pool) + amount).toString() });
  },
};
