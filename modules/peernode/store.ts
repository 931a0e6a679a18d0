import { Guarantee, Node, Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { keys as keyCodecs, KeySet, Map as Table, paramsItem, Sequence, values, type KeyCodec } from "../../chain/store/collections.ts";
import { keys, MAX_EPOCH, pad } from "./keys.ts";
import { defaultPeernodeParams } from "./params.ts";

const P = "peernode/";
/** An epoch counted down from 2^64-1, so an ascending scan meets the newest first (commission history). */
const descendingEpoch: KeyCodec<bigint> = { encode: (e) => pad(MAX_EPOCH - e), decode: (s) => MAX_EPOCH - BigInt(s) };
/** An index set ("service/region", which holds a "/") then a uint. */
const inSet: KeyCodec<[string, bigint]> = {
  encode: ([set, n]) => `${set}/${pad(n)}`,
  decode: (s) => {
    const cut = s.lastIndexOf("/");
    return [s.slice(0, cut), BigInt(s.slice(cut + 1))];
  },
};
const { string, uint, pair, triple } = keyCodecs;

/** The data model of aro/peernode (keys as in keys.ts). */
export const peernodeStore = {
  params: paramsItem(keys.params, Params, defaultPeernodeParams),
  nextId: new Sequence(keys.nextId),
  nodes: new Table(keys.nodes, uint, values.proto(Node)),
  /** (owner, node id) */
  byOwner: new KeySet(P + "by_owner/", pair(string, uint)),
  /** peer id -> the registered node using it */
  byPeerId: new Table(P + "by_peer/", string, values.bigint),
  /** (node id, backer) */
  guarantees: new Table(keys.guaranteesAll, pair(uint, string), values.proto(Guarantee)),
  /** (backer, node id) */
  byBacker: new KeySet(P + "by_backer/", pair(string, uint)),
  /** (completion time, node id, backer) -> amount */
  unbonding: new Table(keys.unbondingQueue, triple(uint, uint, string), values.bigint),
  /** (backer, completion time, node id) */
  unbondingByBacker: new KeySet(P + "unbonding_by_backer/", triple(string, uint, uint)),
  /** (node id, completion time, backer) -> the height the guarantee left at */
  unbondingByNode: new Table(P + "unbonding_by_node/", triple(uint, uint, string), values.bigint),
  /** (node id, from epoch) -> rate, newest first */
  commissionHistory: new Table(P + "commission_history/", pair(uint, descendingEpoch), values.string),
  indexCount: new Table(keys.indexCountAll, string, values.bigint),
  indexAt: new Table(P + "index_at/", inSet, values.bigint),
  indexPos: new Table(P + "index_pos/", inSet, values.bigint),
};
