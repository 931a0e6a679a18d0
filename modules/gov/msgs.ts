import type { MsgRoute } from "../../chain/module.ts";
import { deposit, depositV1beta1 } from "./msgs/deposit.ts";
import { submitProposal } from "./msgs/submit-proposal.ts";
import { updateParams } from "./msgs/update-params.ts";
import { vote, voteV1beta1 } from "./msgs/vote.ts";
import { voteWeighted, voteWeightedV1beta1 } from "./msgs/vote-weighted.ts";

export { decodeProposalMessages } from "./msgs/submit-proposal.ts";

/** The messages of x/gov, a file each under msgs/ (v1, and the v1beta1 ones CosmJS sends). */
export const govMsgs = (routes: () => ReadonlyMap<string, MsgRoute>): MsgRoute[] => [
  submitProposal(routes), deposit, depositV1beta1, vote, voteV1beta1, voteWeighted, voteWeightedV1beta1, updateParams,
];
