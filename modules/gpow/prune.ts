import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { closedThrough, isPrunedEpoch, pruneEpochRecords } from "../epochs/prune.ts";
import { minEpoch, recordRetention } from "./expected.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { gpowStore as s } from "./store.ts";

/**
 * End block: deletes the claims, seeds and storage proofs of epochs settlement has kept
 * for `record_retention_epochs` settled epochs, at most `max_record_prunes_per_block` a
 * block, resuming at `pruneEpoch`. Only epochs whose claims are all resolved and whose
 * claim and proof windows have closed under the windows in force now (a claim for an
 * epoch already resolved is refused, so a pruned claim cannot be made again).
 */
export function pruneGpowRecords(ctx: Context): void {
  const p = k.getParams(ctx.store);
  const closed = closedThrough(ctx.store, ctx.block.height, p.claimWindow + p.proofWindow);
  const resolved = k.resolveEpoch.peek(ctx.store) - 1n;
  pruneEpochRecords(ctx, "gpow", {
    tables: [s.claims.prefix, s.epochSeeds.prefix, s.proofSeeds.prefix, s.storageProofs.prefix],
    cursor: s.pruneEpoch,
    through: minEpoch(minEpoch(recordRetention.prunableThrough(ctx.store), resolved), closed),
    budget: recordRetention.budget(ctx.store),
  });
}

/** Whether an epoch's records are pruned (queries answer "not found" for it). */
export const prunedEpoch = (state: KVReader, epoch: bigint): boolean => isPrunedEpoch(s.pruneEpoch, state, epoch);
