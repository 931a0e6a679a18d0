import { padUint, type Sequence } from "../../chain/store/collections.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { epochs } from "./epochs.ts";

/**
 * Pruning of settled per-epoch records, shared by the modules that keep them (gpow,
 * settlement, watcher): each deletes its own, in its own end block, once settlement's
 * `record_retention_epochs` has passed (settlement/retention.ts), at most
 * `max_record_prunes_per_block` a block.
 */

/** The newest epoch every window of which (`after` blocks past its end) has closed by `height`; -1 if none. */
export function closedThrough(state: KVReader, height: bigint, after: bigint): bigint {
  const last = height - after - 1n; // the epoch's end must be at most this
  return last < epochs.length(state) ? -1n : last / epochs.length(state) - 1n;
}

export interface EpochPrune {
  /** Prefixes of the tables to prune; each key continues with the epoch as 20 padded digits (padUint). */
  readonly tables: readonly string[];
  /** The first epoch that may still hold a record (every earlier one is gone): where the scan resumes. */
  readonly cursor: Sequence;
  /** Prune epochs up to and including this one. */
  readonly through: bigint;
  /** Most entries to delete, over all tables. */
  readonly budget: number;
}

/**
 * Deletes the entries of epochs cursor..through, table by table in key order, at most
 * `budget` in all, and moves the cursor to the first epoch that may still hold one (past
 * `through` once every table is clear of them). Deleted keys are gone, so a scan resumed
 * from the cursor visits only what is left: the work is bounded by the budget. Returns
 * how many entries were deleted.
 */
export function pruneEpochs(store: KVStore, o: EpochPrune): number {
  const from = o.cursor.peek(store);
  if (o.through < from || o.budget <= 0) return 0;
  let left = o.budget;
  let next = o.through + 1n;
  for (const prefix of o.tables) {
    if (left === 0) {
      next = from; // not looked at this block: it may still hold any of them
      break;
    }
    const batch = store.iterate(prefix, prefix + padUint(o.through + 1n), { from: prefix + padUint(from), limit: left });
    for (const [key] of batch) store.delete(key);
    left -= batch.length;
    if (left === 0) {
      // the budget ran out in this table: it may hold more from the last epoch touched on
      const last = BigInt(batch[batch.length - 1][0].slice(prefix.length, prefix.length + 20));
      if (last < next) next = last;
    }
  }
  if (next !== from) o.cursor.set(store, next);
  return o.budget - left;
}

/** pruneEpochs, with an `epoch_records_pruned` event when anything went. */
export function pruneEpochRecords(ctx: Context, module: string, o: EpochPrune): number {
  const deleted = pruneEpochs(ctx.store, o);
  if (deleted > 0) ctx.events.emit("epoch_records_pruned", { module, through: o.through.toString(), deleted: deleted.toString(), next_epoch: o.cursor.peek(ctx.store).toString() });
  return deleted;
}

/** Whether an epoch's records are pruned, by the module's prune cursor (its queries answer "not found" for it). */
export const isPrunedEpoch = (cursor: Sequence, state: KVReader, epoch: bigint): boolean => epoch < cursor.peek(state);
