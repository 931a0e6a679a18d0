import { registerError } from "../../chain/errors.ts";

/** x/upgrade's errors (the SDK's codespace and codes). */
export const upgradeErrors = {
  scheduledInPast: registerError("upgrade", 2, "upgrade cannot be scheduled in the past"),
  completed: registerError("upgrade", 3, "upgrade has already been completed"),
  noPlan: registerError("upgrade", 4, "upgrade plan not found"),
  invalidSigner: registerError("upgrade", 7, "expected authority account as only signer for proposal message"),
};
