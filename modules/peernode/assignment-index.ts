import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { peernodeStore as c } from "./store.ts";

/** Index sets a node is in while ACTIVE (assignable): each service, in its region and in "*". */
export const indexSets = (n: Node): string[] => n.services.flatMap((s) => [`${s}/${n.region}`, `${s}/*`]);

/** The assignment indexes: per service and region, a dense list of ACTIVE node ids to draw from. */
export const assignmentIndex = {
  indexCount(state: KVReader, set: string): bigint {
    return c.indexCount.get(state, set) ?? 0n;
  },
  indexAt(state: KVReader, set: string, i: bigint): bigint {
    // a missing entry reads as 0, as the hand-written decode of an absent value did
    return c.indexAt.get(state, [set, i]) ?? 0n;
  },
  indexAdd(store: KVStore, set: string, id: bigint): void {
    if (c.indexPos.has(store, [set, id])) return;
    const n = assignmentIndex.indexCount(store, set);
    c.indexAt.set(store, [set, n], id);
    c.indexPos.set(store, [set, id], n);
    c.indexCount.set(store, set, n + 1n);
  },
  /** Swap-remove: the last entry takes the removed one's place. */
  indexRemove(store: KVStore, set: string, id: bigint): void {
    const pos = c.indexPos.get(store, [set, id]);
    if (pos === undefined) return;
    const last = assignmentIndex.indexCount(store, set) - 1n;
    if (pos !== last) {
      const moved = assignmentIndex.indexAt(store, set, last);
      c.indexAt.set(store, [set, pos], moved);
      c.indexPos.set(store, [set, moved], pos);
    }
    c.indexAt.delete(store, [set, last]);
    c.indexPos.delete(store, [set, id]);
    c.indexCount.set(store, set, last);
  },
};
