import type { KVReader } from "../../chain/store/kv.ts";
import { settlementParams } from "./params.ts";
import { settlementStore as c } from "./store.ts";

/**
 * How long per-epoch records are kept after their epoch settles (`record_retention_epochs`)
 * and how many go per block (`max_record_prunes_per_block`): settlement prunes its own by
 * it, and gpow and watcher read it through their expected.ts to prune theirs. Every window
 * of an epoch has closed and its claims are resolved before it settles, so a settled epoch's
 * records are read only by queries (and the last settled one by gpow's routing).
 */
export const recordRetention = {
  /** The newest epoch whose records may be pruned: record_retention_epochs settled epochs stay; -1 when none may. */
  prunableThrough(state: KVReader): bigint {
    const keep = settlementParams.get(state).recordRetentionEpochs;
    // params stored before record_retention_epochs existed read 0: nothing is pruned until governance sets it
    if (keep === 0n) return -1n;
    return c.nextToSettle.peek(state) - 1n - keep;
  },
  /** Most records each module deletes per block. */
  budget: (state: KVReader): number => settlementParams.get(state).maxRecordPrunesPerBlock,
};

export const minEpoch = (a: bigint, b: bigint): bigint => (a < b ? a : b);
