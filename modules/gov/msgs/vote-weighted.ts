import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { validateAddress } from "../../../chain/address.ts";
import { decFromString, decFromWire } from "../../../chain/dec.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { castVote, validateOptions } from "./vote.ts";

/** MsgVoteWeighted (v1): weights are decimal text. */
export const voteWeighted = msgRoute<v1.MsgVoteWeighted>({
  typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
  type: v1.MsgVoteWeighted,
  signers: (m) => [m.voter],
  validate: (m) => (validateAddress(m.voter, "voter"), validateOptions(m.options.map((o) => ({ option: o.option, weight: decFromString(o.weight, "weight") })))),
  handle: (ctx, m) => {
    castVote(ctx, m.proposalId, m.voter, m.options.map((o) => ({ option: o.option, weight: decFromString(o.weight) })), m.metadata);
    return reply("/cosmos.gov.v1.MsgVoteWeightedResponse", v1.MsgVoteWeightedResponse, {});
  },
});

/** MsgVoteWeighted (v1beta1). */
export const voteWeightedV1beta1 = msgRoute<v1beta1.MsgVoteWeighted>({
  typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
  type: v1beta1.MsgVoteWeighted,
  signers: (m) => [m.voter],
  // v1beta1 weights are LegacyDec on the wire: the integer scaled by 10^18
  validate: (m) => (validateAddress(m.voter, "voter"), validateOptions(m.options.map((o) => ({ option: o.option, weight: decFromWire(o.weight, "weight") })))),
  handle: (ctx, m) => {
    castVote(ctx, m.proposalId, m.voter, m.options.map((o) => ({ option: o.option, weight: decFromWire(o.weight) })));
    return reply("/cosmos.gov.v1beta1.MsgVoteWeightedResponse", v1beta1.MsgVoteWeightedResponse, {});
  },
});
