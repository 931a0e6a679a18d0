import { registerError } from "../../chain/errors.ts";
import { paramsRouteErrors } from "../../chain/params-route.ts";

/** x/gov codespace, same codes as the SDK. */
export const govErrors = {
  unknownProposal: registerError("gov", 2, "unknown proposal"),
  inactiveProposal: registerError("gov", 3, "inactive proposal"),
  invalidProposalContent: registerError("gov", 5, "invalid proposal content"),
  invalidVote: registerError("gov", 7, "invalid vote option"),
  invalidGenesis: registerError("gov", 8, "invalid genesis state"),
  unroutableProposalMsg: registerError("gov", 10, "proposal message not recognized by router"),
  noProposalMsgs: registerError("gov", 11, "no messages proposed"),
  // registered by the kernel's parameter-update route, which raises them
  invalidProposalMsg: paramsRouteErrors.invalidProposalMsg,
  invalidSigner: paramsRouteErrors.invalidSigner,
  metadataTooLong: registerError("gov", 15, "metadata too long"),
  minDepositTooSmall: registerError("gov", 16, "minimum deposit is too small"),
  invalidProposer: registerError("gov", 18, "invalid proposer"),
} as const;
