import { EpochSettlement, NodeEpochRecord, NodeWork } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { keys as keyCodecs, Map as Table, Sequence, values } from "../../chain/store/collections.ts";
import { keys } from "./keys.ts";

const P = "settlement/";
const { uint, pair } = keyCodecs;

/** The data model of aro/settlement (keys as in keys.ts; params in params.ts). */
export const settlementStore = {
  /** (epoch, node id) -> verified work and what customers paid for it */
  work: new Table(P + "work/", pair(uint, uint), values.proto(NodeWork)),
  /** epoch -> its pools and settlement progress */
  epochs: new Table(keys.epochs, uint, values.proto(EpochSettlement)),
  /** (epoch, node id) -> the node's scored record */
  records: new Table(P + "record/", pair(uint, uint), values.proto(NodeEpochRecord)),
  /** the oldest epoch not settled yet */
  nextToSettle: new Sequence(keys.nextToSettle, 0n),
  /** the first epoch whose records may still be stored (every earlier one is pruned) */
  pruneEpoch: new Sequence(keys.pruneEpoch, 0n),
};
