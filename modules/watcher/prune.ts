import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { closedThrough, isPrunedEpoch, pruneEpochRecords } from "../epochs/prune.ts";
import { minEpoch, recordRetention } from "./expected.ts";
import { watcherKeeper as k } from "./keeper.ts";
import { watcherStore as s } from "./store.ts";

/**
 * End block: deletes the snapshots, reports and attestation marks of epochs settlement has
 * kept for `record_retention_epochs` settled epochs, at most `max_record_prunes_per_block`
 * a block, resuming at `pruneEpoch`. Only epochs whose attest window has closed under the
 * window in force now; an epoch without its snapshot takes no attestation, so a pruned
 * epoch cannot be attested again.
 */
export function pruneWatcherRecords(ctx: Context): void {
  const closed = closedThrough(ctx.store, ctx.block.height, k.getParams(ctx.store).attestWindow);
  pruneEpochRecords(ctx, "watcher", {
    tables: [s.snapshots.prefix, s.reports.prefix, s.attested.prefix],
    cursor: s.pruneEpoch,
    through: minEpoch(recordRetention.prunableThrough(ctx.store), closed),
    budget: recordRetention.budget(ctx.store),
  });
}

/** Whether an epoch's records are pruned (queries answer "not found" for it). */
export const prunedEpoch = (state: KVReader, epoch: bigint): boolean => isPrunedEpoch(s.pruneEpoch, state, epoch);
