import { registerError } from "../../chain/errors.ts";

/** x/distribution codespace, same codes as the SDK. */
export const distributionErrors = {
  emptyDelegatorAddr: registerError("distribution", 2, "delegator address is empty"),
  emptyWithdrawAddr: registerError("distribution", 3, "withdraw address is empty"),
  emptyValidatorAddr: registerError("distribution", 4, "validator address is empty"),
  emptyDelegationDistInfo: registerError("distribution", 5, "no delegation distribution info"),
  noValidatorDistInfo: registerError("distribution", 6, "no validator distribution info"),
  noValidatorCommission: registerError("distribution", 7, "no validator commission to withdraw"),
  setWithdrawAddrDisabled: registerError("distribution", 8, "set withdraw address disabled"),
  badDistribution: registerError("distribution", 9, "community pool does not have sufficient coins to distribute"),
  invalidProposalAmount: registerError("distribution", 10, "invalid community pool spend proposal amount"),
  emptyProposalRecipient: registerError("distribution", 11, "invalid community pool spend proposal recipient"),
  noValidatorExists: registerError("distribution", 12, "validator does not exist"),
  noDelegationExists: registerError("distribution", 13, "delegation does not exist"),
} as const;
