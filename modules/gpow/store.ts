import { Claim, GrantUsage, Job, Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { keys as keyCodecs, KeySet, Map as Table, paramsItem, Sequence, values, type ValueCodec } from "../../chain/store/collections.ts";
import { keys } from "./keys.ts";
import { defaultGpowParams } from "./params.ts";

const P = "gpow/";
const { uint, string, pair, triple } = keyCodecs;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** What a node is running: jobs assigned and not resolved yet, and their memory + output bytes. */
export interface NodeLoad {
  jobs: bigint;
  bytes: bigint;
}
/** A node's load as the text "jobs:bytes". */
const loadCodec: ValueCodec<NodeLoad> = {
  encode: (l) => utf8.encode(`${l.jobs}:${l.bytes}`),
  decode: (b) => {
    const [jobs, bytes] = fromUtf8.decode(b).split(":").map(BigInt);
    return { jobs, bytes };
  },
};

/** The data model of aro/gpow (keys as in keys.ts). */
export const gpowStore = {
  params: paramsItem(keys.params, Params, defaultGpowParams),
  /** (epoch, node id) -> the node's delivery claim */
  claims: new Table(keys.claimsAll, pair(uint, uint), values.proto(Claim)),
  /** epoch -> seed of its storage challenges */
  epochSeeds: new Table(P + "epoch_seed/", uint, values.bytes),
  /** epoch -> seed of its delivery proofs */
  proofSeeds: new Table(P + "proof_seed/", uint, values.bytes),
  resolveEpoch: new Sequence(keys.resolveEpoch, 0n),
  resolveCursor: new Sequence(keys.resolveCursor, 0n),
  /** the first epoch whose records may still be stored (every earlier one is pruned) */
  pruneEpoch: new Sequence(keys.pruneEpoch, 0n),
  /** (epoch, node id, content id) answered */
  storageProofs: new KeySet(P + "storage/", triple(uint, uint, uint)),
  nextJobId: new Sequence(keys.nextJobId, 1n),
  jobs: new Table(keys.jobs, uint, values.proto(Job)),
  /** (reveal deadline height, job id) */
  jobDeadlines: new KeySet(keys.jobDeadlines, pair(uint, uint)),
  /** (node id, job id) */
  nodeJobs: new KeySet(P + "node_jobs/", pair(uint, uint)),
  /** node id -> the jobs it is running */
  load: new Table(P + "load/", uint, loadCodec),
  /** delivery grant id (hex) -> what was charged under it */
  grantUsage: new Table(P + "grant_usage/", string, values.proto(GrantUsage)),
  /** (expires epoch, grant id): the usages to delete once their last epoch is resolved */
  grantExpiries: new KeySet(P + "grant_expiry/", pair(uint, string)),
};
