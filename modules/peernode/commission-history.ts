import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { effectiveCommission } from "./commission.ts";
import { pad } from "./keys.ts";
import { peernodeStore as c } from "./store.ts";

/** Each node's commission history: the rate in force in every epoch since its first change. */
export const commissionHistory = {
  /**
   * The commission in force in `epoch`: from the node's history when it has one (every
   * change announced since it is kept), else from the node record. An epoch's rate never
   * changes once the epoch has started, however many changes are announced after it.
   */
  commissionAt(state: KVReader, n: Node, epoch: bigint): string {
    const [hit] = c.commissionHistory.values(state, { prefix: `${pad(n.id)}/`, from: [n.id, epoch], limit: 1 });
    return hit ?? effectiveCommission(n, epoch);
  },
  /**
   * Keeps the history a change announced in `epoch` needs: the rates in force so far (from
   * the node record, the first time) and the new one from epoch + 1.
   */
  recordCommissionChange(store: KVStore, before: Node, after: Node, epoch: bigint): void {
    if (c.commissionHistory.keys(store, { prefix: `${pad(before.id)}/`, limit: 1 }).length === 0) {
      c.commissionHistory.set(store, [before.id, 0n], before.commission);
      if (before.pendingCommission) c.commissionHistory.set(store, [before.id, before.pendingCommissionEpoch], before.pendingCommission);
    }
    c.commissionHistory.set(store, [before.id, epoch + 1n], after.pendingCommission);
  },
  setCommissionRate(store: KVStore, id: bigint, from: bigint, rate: string): void {
    c.commissionHistory.set(store, [id, from], rate);
  },
  commissionHistoryOf(state: KVReader, id: bigint): Array<{ fromEpoch: bigint; rate: string }> {
    return c.commissionHistory.entries(state, { prefix: `${pad(id)}/` }).map(([[, fromEpoch], rate]) => ({ fromEpoch, rate })).reverse();
  },
};
