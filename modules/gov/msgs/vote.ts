import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { validateAddress } from "../../../chain/address.ts";
import { decToString, DEC_ONE } from "../../../chain/dec.ts";
import { msgRoute, type Context } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { govErrors } from "../errors.ts";
import { govKeeper } from "../keeper.ts";

export type Weighted = Array<{ option: number; weight: bigint }>;

/** Records a (weighted) vote on a proposal in its voting period, replacing the voter's earlier one. */
export function castVote(ctx: Context, id: bigint, voter: string, options: Weighted, metadata = ""): void {
  const p = govKeeper.getProposal(ctx.store, id);
  if (!p) throw govErrors.unknownProposal.wrap(`proposal ${id} does not exist`);
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw govErrors.inactiveProposal.wrap(`proposal ${id} is not in its voting period`);
  govKeeper.setVote(ctx.store, { proposalId: id, voter, metadata, options: options.map((o) => ({ option: o.option, weight: decToString(o.weight) })) });
  ctx.events.emit("proposal_vote", { option: JSON.stringify(options.map((o) => ({ option: VoteOption[o.option], weight: decToString(o.weight) }))), proposal_id: id.toString(), voter });
}

/** Known options, each once, each weight in (0, 1], adding up to 1. */
export function validateOptions(options: Weighted): void {
  if (options.length === 0) throw govErrors.invalidVote.wrap("no options");
  const seen = new Set<number>();
  let sum = 0n;
  for (const o of options) {
    if (o.option < 1 || o.option > 4) throw govErrors.invalidVote.wrap(`unknown option ${o.option}`);
    if (seen.has(o.option)) throw govErrors.invalidVote.wrap(`duplicate option ${VoteOption[o.option]}`);
    if (o.weight <= 0n || o.weight > DEC_ONE) throw govErrors.invalidVote.wrap("each weight must be in (0, 1]");
    seen.add(o.option);
    sum += o.weight;
  }
  if (sum !== DEC_ONE) throw govErrors.invalidVote.wrap("weights must add up to 1");
}

const validateVote = (m: { voter: string; option: number }): void => (validateAddress(m.voter, "voter"), validateOptions([{ option: m.option, weight: DEC_ONE }]));

/** MsgVote (v1): one option with all the voter's weight. */
export const vote = msgRoute<v1.MsgVote>({
  typeUrl: "/cosmos.gov.v1.MsgVote",
  type: v1.MsgVote,
  signers: (m) => [m.voter],
  validate: validateVote,
  handle: (ctx, m) => (castVote(ctx, m.proposalId, m.voter, [{ option: m.option, weight: DEC_ONE }], m.metadata), reply("/cosmos.gov.v1.MsgVoteResponse", v1.MsgVoteResponse, {})),
});

/** MsgVote (v1beta1, as CosmJS sends it; no metadata). */
export const voteV1beta1 = msgRoute<v1beta1.MsgVote>({
  typeUrl: "/cosmos.gov.v1beta1.MsgVote",
  type: v1beta1.MsgVote,
  signers: (m) => [m.voter],
  validate: validateVote,
  handle: (ctx, m) => (castVote(ctx, m.proposalId, m.voter, [{ option: m.option, weight: DEC_ONE }]), reply("/cosmos.gov.v1beta1.MsgVoteResponse", v1beta1.MsgVoteResponse, {})),
});
