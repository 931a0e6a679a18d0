import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { closedThrough, isPrunedEpoch, pruneEpochRecords } from "../epochs/prune.ts";
import { settlementSources } from "./expected.ts";
import { minEpoch, recordRetention } from "./retention.ts";
import { windowBlocks } from "./settle.ts";
import { settlementStore as c } from "./store.ts";

/**
 * End block (after settling): deletes the work, epoch settlement and node records of epochs
 * past `record_retention_epochs` settled ones, at most `max_record_prunes_per_block` a
 * block, resuming at `pruneEpoch`. Only epochs every window of which has closed under the
 * windows in force now (a window lengthened by governance keeps its epochs a while longer).
 */
export function pruneSettlementRecords(ctx: Context): void {
  const closed = closedThrough(ctx.store, ctx.block.height, windowBlocks(ctx, settlementSources(ctx)));
  pruneEpochRecords(ctx, "settlement", {
    tables: [c.work.prefix, c.epochs.prefix, c.records.prefix],
    cursor: c.pruneEpoch,
    through: minEpoch(recordRetention.prunableThrough(ctx.store), closed),
    budget: recordRetention.budget(ctx.store),
  });
}

/** Whether an epoch's records are pruned (queries answer "not found" for it). */
export const prunedEpoch = (state: KVReader, epoch: bigint): boolean => isPrunedEpoch(c.pruneEpoch, state, epoch);
