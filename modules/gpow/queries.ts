import {
  QueryGrantUsageRequest, QueryGrantUsageResponse, QueryClaimRequest, QueryClaimResponse, QueryEpochInfoRequest, QueryEpochInfoResponse, QueryJobRequest, QueryJobResponse, QueryNodeJobsRequest,
  QueryNodeJobsResponse, QueryParamsRequest, QueryParamsResponse, QueryStorageChallengeRequest, QueryStorageChallengeResponse,
} from "../../proto/gen/aro/gpow/v1/query.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { epochs } from "../epochs/epochs.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { storageChallenge } from "./storage.ts";
import { prunedEpoch } from "./prune.ts";
import { marketKeeper } from "./expected.ts";

const Q = "/aro.gpow.v1.Query/";
const PRUNED = ": its records are pruned (kept for record_retention_epochs settled epochs)";

export const gpowQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
  queryRoute(Q + "Claim", QueryClaimRequest, QueryClaimResponse, (state, req) => {
    const claim = k.getClaim(state, req.epoch, req.nodeId);
    if (!claim) throw gpowErrors.claimNotFound.wrap(`node ${req.nodeId} epoch ${req.epoch}${prunedEpoch(state, req.epoch) ? PRUNED : ""}`);
    // show the offsets the node owes once the proof seed is known
    const seed = k.proofSeed(state, req.epoch);
    const openOffsets = claim.openOffsets.length || !seed || !k.needsProof(state, claim, seed) || claim.status !== 1 ? claim.openOffsets : k.proofOffsets(state, claim, seed);
    return { claim: { ...claim, openOffsets } };
  }),
  queryRoute(Q + "StorageChallenge", QueryStorageChallengeRequest, QueryStorageChallengeResponse, (state, req) => {
    const c = storageChallenge(state, req.epoch, req.nodeId, marketKeeper.mustContent(state, req.contentId));
    if (!c) throw gpowErrors.outsideWindow.wrap(prunedEpoch(state, req.epoch) ? `epoch ${req.epoch}${PRUNED}` : `epoch ${req.epoch} has not started`);
    return { chunkIndex: c.index, segmentIndex: c.segment, deadline: c.deadline, answered: k.storageProven(state, req.epoch, req.nodeId, req.contentId) };
  }),
  queryRoute(Q + "Job", QueryJobRequest, QueryJobResponse, (state, req) => {
    const job = k.getJob(state, req.jobId);
    if (!job) throw gpowErrors.jobNotFound.wrap(`job ${req.jobId}`);
    return { job };
  }),
  queryRoute(Q + "NodeJobs", QueryNodeJobsRequest, QueryNodeJobsResponse, (state, req) => ({ jobs: k.jobsOf(state, req.nodeId) })),
  queryRoute(Q + "EpochInfo", QueryEpochInfoRequest, QueryEpochInfoResponse, (state, _req, height) => {
    const epoch = epochs.of(state, height < 1n ? 1n : height);
    const previous = epoch > 0n ? k.windows(state, epoch - 1n) : { claimEnd: 0n, proofEnd: 0n };
    return {
      epoch, epochStart: epochs.start(state, epoch), epochEnd: epochs.end(state, epoch), epochLength: epochs.length(state),
      claimWindowEnd: previous.claimEnd, proofWindowEnd: previous.proofEnd,
    };
  }),
  // unset when the chain has charged nothing under the grant (or no claim can use it any more)
  queryRoute(Q + "GrantUsage", QueryGrantUsageRequest, QueryGrantUsageResponse, (state, req) => ({ usage: k.getGrantUsage(state, req.grantId) })),
];
