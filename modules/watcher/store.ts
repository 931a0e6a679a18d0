import { Watcher, WatcherDelegation, WatcherSnapshot, NodeReport, Params } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { keys as keyCodecs, KeySet, Map as Table, paramsItem, Sequence, values } from "../../chain/store/collections.ts";
import { keys } from "./keys.ts";
import { defaultWatcherParams } from "./params.ts";

const P = "watcher/";
const { string, uint, pair, triple } = keyCodecs;

/** The data model of aro/watcher (keys as in keys.ts). */
export const watcherStore = {
  params: paramsItem(keys.params, Params, defaultWatcherParams),
  /** address -> watcher */
  watchers: new Table(keys.watchers, string, values.proto(Watcher)),
  /** (watcher, delegator) -> delegation */
  delegations: new Table(keys.delegationsAll, pair(string, string), values.proto(WatcherDelegation)),
  /** (delegator, watcher) */
  byDelegator: new KeySet(P + "by_delegator/", pair(string, string)),
  /** (completion time, watcher, delegator) -> amount (decimal text) */
  unbonding: new Table(keys.unbondingQueue, triple(uint, string, string), values.string),
  /** epoch -> the watchers' stake at its start */
  snapshots: new Table(P + "snapshot/", uint, values.proto(WatcherSnapshot)),
  /** (epoch, node id, watcher) -> the watcher's report on the node */
  reports: new Table(P + "reports/", triple(uint, uint, string), values.proto(NodeReport)),
  /** (epoch, watcher) -> reports it filed */
  attested: new Table(P + "attested/", pair(uint, string), values.bigint),
  /** the first epoch whose records may still be stored (every earlier one is pruned) */
  pruneEpoch: new Sequence(keys.pruneEpoch, 0n),
};
