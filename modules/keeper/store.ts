import { Keeper, KeeperDelegation, KeeperSnapshot, NodeReport, Params } from "../../proto/gen/aro/keeper/v1/keeper.ts";
import { keys as keyCodecs, KeySet, Map as Table, paramsItem, values } from "../../chain/store/collections.ts";
import { keys } from "./keys.ts";
import { defaultKeeperParams } from "./params.ts";

const P = "keeper/";
const { string, uint, pair, triple } = keyCodecs;

/** The data model of aro/keeper (keys as in keys.ts). */
export const keeperStore = {
  params: paramsItem(keys.params, Params, defaultKeeperParams),
  /** address -> keeper */
  keepers: new Table(keys.keepers, string, values.proto(Keeper)),
  /** (keeper, delegator) -> delegation */
  delegations: new Table(keys.delegationsAll, pair(string, string), values.proto(KeeperDelegation)),
  /** (delegator, keeper) */
  byDelegator: new KeySet(P + "by_delegator/", pair(string, string)),
  /** (completion time, keeper, delegator) -> amount (decimal text) */
  unbonding: new Table(keys.unbondingQueue, triple(uint, string, string), values.string),
  /** epoch -> the keepers' stake at its start */
  snapshots: new Table(P + "snapshot/", uint, values.proto(KeeperSnapshot)),
  /** (epoch, node id, keeper) -> the keeper's report on the node */
  reports: new Table(P + "reports/", triple(uint, uint, string), values.proto(NodeReport)),
  /** (epoch, keeper) -> reports it filed */
  attested: new Table(P + "attested/", pair(uint, string), values.bigint),
};
