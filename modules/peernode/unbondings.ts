import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { pad } from "./keys.ts";
import { peernodeStore as c } from "./store.ts";

/** Guarantee unbonding entries: tokens leaving a node, kept slashable until they are paid back. */
export const unbondings = {
  /**
   * Records `amount` leaving node `id` at height `created`, paid back at `time`. Until then
   * a penalty for anything the node did at or before `created` still reaches it (slash). Two
   * entries completing the same second merge and keep the later height.
   */
  addUnbonding(store: KVStore, time: bigint, id: bigint, backer: string, amount: bigint, created = 0n): void {
    if (amount === 0n) return;
    c.unbonding.set(store, [time, id, backer], (c.unbonding.get(store, [time, id, backer]) ?? 0n) + amount);
    c.unbondingByBacker.add(store, [backer, time, id]);
    const was = c.unbondingByNode.get(store, [id, time, backer]);
    c.unbondingByNode.set(store, [id, time, backer], was !== undefined && was > created ? was : created);
  },
  /** Removes a completed unbonding entry and its indexes. */
  deleteUnbonding(store: KVStore, time: bigint, id: bigint, backer: string): void {
    c.unbonding.delete(store, [time, id, backer]);
    c.unbondingByBacker.remove(store, [backer, time, id]);
    c.unbondingByNode.delete(store, [id, time, backer]);
  },
  /** A node's unbonding entries with the height each left at (at most (max_backers + 1) × (MAX_UNBONDING_ENTRIES + 1)). */
  unbondingsOfNode(state: KVReader, id: bigint): Array<{ backer: string; time: bigint; amount: bigint; created: bigint }> {
    return c.unbondingByNode.entries(state, { prefix: `${pad(id)}/` }).map(([[, time, backer], created]) =>
      ({ backer, time, amount: c.unbonding.get(state, [time, id, backer]) ?? 0n, created }));
  },
  /** Height an unbonding entry left its node at (0 when unknown: entries from before this was kept). */
  unbondingCreated(state: KVReader, time: bigint, id: bigint, backer: string): bigint {
    return c.unbondingByNode.get(state, [id, time, backer]) ?? 0n;
  },
  unbondingsOf(state: KVReader, backer: string): Array<{ nodeId: bigint; time: bigint; amount: bigint }> {
    return c.unbondingByBacker.keys(state, { prefix: `${backer}/` }).map(([, time, id]) =>
      ({ nodeId: id, time, amount: c.unbonding.get(state, [time, id, backer]) ?? 0n }));
  },
  allUnbondings(state: KVReader): Array<{ nodeId: bigint; backer: string; time: bigint; amount: bigint; created: bigint }> {
    return c.unbonding.entries(state).map(([[time, id, backer], amount]) =>
      ({ nodeId: id, backer, time, amount, created: unbondings.unbondingCreated(state, time, id, backer) }));
  },
  /** Up to `limit` unbonding entries completing at or before `time`, in completion order. */
  unbondingsDue(state: KVReader, time: bigint, limit: number): Array<{ nodeId: bigint; backer: string; time: bigint; amount: bigint }> {
    return c.unbonding.entries(state, { before: pad(time + 1n), limit }).map(([[t, id, backer], amount]) => ({ nodeId: id, backer, time: t, amount }));
  },
};
