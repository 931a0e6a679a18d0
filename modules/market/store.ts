import { Allotment, Content, Escrow, Params } from "../../proto/gen/aro/market/v1/market.ts";
import { keys as keyCodecs, KeySet, Map as Table, paramsItem, Sequence, values } from "../../chain/store/collections.ts";
import { dueKeys, keys, type DueKind } from "./keys.ts";
import { defaultMarketParams } from "./params.ts";

const P = "market/";
const { string, uint, pair, triple } = keyCodecs;

/** The data model of aro/market (keys as in keys.ts). */
export const marketStore = {
  params: paramsItem(keys.params, Params, defaultMarketParams),
  /** owner -> escrow */
  escrows: new Table(keys.escrows, string, values.proto(Escrow)),
  /** (unlock height, owner) -> amount (decimal text) */
  withdrawals: new Table(keys.withdrawals, pair(uint, string), values.string),
  /** (owner, node id) -> allotment */
  allotments: new Table(keys.allotments, pair(string, uint), values.proto(Allotment)),
  /** (unlock height, owner, node id) -> amount thawing (decimal text) */
  thaws: new Table(keys.thaws, triple(uint, string, uint), values.string),
  nextContentId: new Sequence(keys.nextContentId),
  contents: new Table(keys.contents, uint, values.proto(Content)),
  /** root -> content id */
  contentByRoot: new Table(P + "content_by_root/", string, values.bigint),
  /** (owner, content id) */
  contentsByOwner: new KeySet(P + "content_by_owner/", pair(string, uint)),
  /** (node id, content id): replicas a node holds */
  replicas: new KeySet(P + "replicas/", pair(uint, uint)),
  /** (height, content id, kind): content work due at a height */
  due: new KeySet(dueKeys.all, triple(uint, uint, string as { encode(k: DueKind): string; decode(s: string): DueKind })),
  /** (node id, content id): replicas acked, kept until retired */
  acked: new KeySet(P + "acked/", pair(uint, uint)),
};
