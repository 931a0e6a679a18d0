import * as q1 from "cosmjs-types/cosmos/gov/v1/query";
import * as qb from "cosmjs-types/cosmos/gov/v1beta1/query";
import { ProposalStatus, type Proposal, type Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import * as legacy from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { validateAddress } from "../../chain/address.ts";
import { decFromString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { govErrors } from "./errors.ts";
import { govKeeper } from "./keeper.ts";
import { tally } from "./tally.ts";

const V1 = "/cosmos.gov.v1.Query/";
const V1B = "/cosmos.gov.v1beta1.Query/";
const pad = (id: bigint) => id.toString().padStart(20, "0");
const zero = { seconds: 0n, nanos: 0 };

function mustProposal(state: KVReader, id: bigint): Proposal {
  const p = govKeeper.getProposal(state, id);
  if (!p) throw govErrors.unknownProposal.wrap(`proposal ${id} doesn't exist`);
  return p;
}

function filtered(state: KVReader, status: number, voter: string, depositor: string): Proposal[] {
  if (voter) validateAddress(voter, "voter");
  if (depositor) validateAddress(depositor, "depositor");
  return govKeeper.allProposals(state).filter((p) =>
    (status === 0 || p.status === status) && (!voter || govKeeper.getVote(state, p.id, voter)) && (!depositor || govKeeper.getDeposit(state, p.id, depositor)));
}

const currentTally = (state: KVReader, p: Proposal) => (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? tally(state, p).result : p.finalTallyResult!);

/** v1beta1 view of a v1 proposal: its title and summary as a TextProposal (the SDK refuses non-legacy ones; we show them). */
function toLegacyProposal(state: KVReader, p: Proposal): legacy.Proposal {
  const t = currentTally(state, p);
  return {
    proposalId: p.id,
    content: { typeUrl: "/cosmos.gov.v1beta1.TextProposal", value: legacy.TextProposal.encode({ title: p.title, description: p.summary }).finish() },
    status: p.status,
    finalTallyResult: { yes: t.yesCount, abstain: t.abstainCount, no: t.noCount, noWithVeto: t.noWithVetoCount },
    submitTime: p.submitTime ?? zero, depositEndTime: p.depositEndTime ?? zero, totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? zero, votingEndTime: p.votingEndTime ?? zero,
  };
}

function toLegacyVote(v: Vote): legacy.Vote {
  const options = v.options.map((o) => ({ option: o.option, weight: decFromString(o.weight).toString() }));
  return { proposalId: v.proposalId, voter: v.voter, option: options.length === 1 ? options[0].option : 0, options };
}

function legacyParams(state: KVReader, type: string): qb.QueryParamsResponse {
  const p = govKeeper.getParams(state);
  const dec = (s: string) => new TextEncoder().encode(decFromString(s).toString());
  if (!["voting", "tallying", "deposit"].includes(type)) throw sdkErrors.invalidRequest.wrap(`unknown params type ${JSON.stringify(type)}: voting, tallying or deposit`);
  return {
    votingParams: { votingPeriod: type === "voting" ? p.votingPeriod! : zero },
    depositParams: { minDeposit: type === "deposit" ? p.minDeposit : [], maxDepositPeriod: type === "deposit" ? p.maxDepositPeriod! : zero },
    tallyParams: type === "tallying" ? { quorum: dec(p.quorum), threshold: dec(p.threshold), vetoThreshold: dec(p.vetoThreshold) } : { quorum: new Uint8Array(), threshold: new Uint8Array(), vetoThreshold: new Uint8Array() },
  };
}

export const govQueries: QueryRoute[] = [
  // v1
  queryRoute(V1 + "Proposal", q1.QueryProposalRequest, q1.QueryProposalResponse, (s, r) => ({ proposal: mustProposal(s, r.proposalId) })),
  queryRoute(V1 + "Proposals", q1.QueryProposalsRequest, q1.QueryProposalsResponse, (s, r) => {
    const { items, pagination } = paginate(filtered(s, r.proposalStatus, r.voter, r.depositor).map((p) => [pad(p.id), p] as const), r.pagination);
    return { proposals: items, pagination };
  }),
  queryRoute(V1 + "Vote", q1.QueryVoteRequest, q1.QueryVoteResponse, (s, r) => {
    const vote = govKeeper.getVote(s, r.proposalId, r.voter);
    if (!vote) throw sdkErrors.notFound.wrap(`voter: ${r.voter} not found for proposal: ${r.proposalId}`);
    return { vote };
  }),
  queryRoute(V1 + "Votes", q1.QueryVotesRequest, q1.QueryVotesResponse, (s, r) => {
    const { items, pagination } = paginate(govKeeper.votes(s, r.proposalId).map((v) => [v.voter, v] as const), r.pagination);
    return { votes: items, pagination };
  }),
  queryRoute(V1 + "Params", q1.QueryParamsRequest, q1.QueryParamsResponse, (s) => ({ params: govKeeper.getParams(s) })),
  queryRoute(V1 + "Deposit", q1.QueryDepositRequest, q1.QueryDepositResponse, (s, r) => {
    const deposit = govKeeper.getDeposit(s, r.proposalId, r.depositor);
    if (!deposit) throw sdkErrors.notFound.wrap(`depositor: ${r.depositor} not found for proposal: ${r.proposalId}`);
    return { deposit };
  }),
  queryRoute(V1 + "Deposits", q1.QueryDepositsRequest, q1.QueryDepositsResponse, (s, r) => {
    const { items, pagination } = paginate(govKeeper.deposits(s, r.proposalId).map((d) => [d.depositor, d] as const), r.pagination);
    return { deposits: items, pagination };
  }),
  queryRoute(V1 + "TallyResult", q1.QueryTallyResultRequest, q1.QueryTallyResultResponse, (s, r) => ({ tally: currentTally(s, mustProposal(s, r.proposalId)) })),
  // v1beta1 (what CosmJS's setupGovExtension calls)
  queryRoute(V1B + "Proposal", qb.QueryProposalRequest, qb.QueryProposalResponse, (s, r) => ({ proposal: toLegacyProposal(s, mustProposal(s, r.proposalId)) })),
  queryRoute(V1B + "Proposals", qb.QueryProposalsRequest, qb.QueryProposalsResponse, (s, r) => {
    const { items, pagination } = paginate(filtered(s, r.proposalStatus, r.voter, r.depositor).map((p) => [pad(p.id), toLegacyProposal(s, p)] as const), r.pagination);
    return { proposals: items, pagination };
  }),
  queryRoute(V1B + "Vote", qb.QueryVoteRequest, qb.QueryVoteResponse, (s, r) => {
    const vote = govKeeper.getVote(s, r.proposalId, r.voter);
    if (!vote) throw sdkErrors.notFound.wrap(`voter: ${r.voter} not found for proposal: ${r.proposalId}`);
    return { vote: toLegacyVote(vote) };
  }),
  queryRoute(V1B + "Votes", qb.QueryVotesRequest, qb.QueryVotesResponse, (s, r) => {
    const { items, pagination } = paginate(govKeeper.votes(s, r.proposalId).map((v) => [v.voter, toLegacyVote(v)] as const), r.pagination);
    return { votes: items, pagination };
  }),
  queryRoute(V1B + "Params", qb.QueryParamsRequest, qb.QueryParamsResponse, (s, r) => legacyParams(s, r.paramsType)),
  queryRoute(V1B + "Deposit", qb.QueryDepositRequest, qb.QueryDepositResponse, (s, r) => {
    const deposit = govKeeper.getDeposit(s, r.proposalId, r.depositor);
    if (!deposit) throw sdkErrors.notFound.wrap(`depositor: ${r.depositor} not found for proposal: ${r.proposalId}`);
    return { deposit };
  }),
  queryRoute(V1B + "Deposits", qb.QueryDepositsRequest, qb.QueryDepositsResponse, (s, r) => {
    const { items, pagination } = paginate(govKeeper.deposits(s, r.proposalId).map((d) => [d.depositor, d] as const), r.pagination);
    return { deposits: items, pagination };
  }),
  queryRoute(V1B + "TallyResult", qb.QueryTallyResultRequest, qb.QueryTallyResultResponse, (s, r) => {
    const t = currentTally(s, mustProposal(s, r.proposalId));
    return { tally: { yes: t.yesCount, abstain: t.abstainCount, no: t.noCount, noWithVeto: t.noWithVetoCount } };
  }),
];
