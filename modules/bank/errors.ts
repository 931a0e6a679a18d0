import { registerError } from "../../chain/errors.ts";

/** x/bank codespace, same codes as the SDK. */
export const bankErrors = {
  noInputs: registerError("bank", 2, "no inputs to send transaction"),
  noOutputs: registerError("bank", 3, "no outputs to send transaction"),
  inputOutputMismatch: registerError("bank", 4, "sum inputs != sum outputs"),
  sendDisabled: registerError("bank", 5, "send transactions are disabled"),
  denomMetadataNotFound: registerError("bank", 6, "client denom metadata not found"),
  invalidKey: registerError("bank", 7, "invalid key"),
  duplicateEntry: registerError("bank", 8, "duplicate entry"),
  multipleSenders: registerError("bank", 9, "multiple senders not allowed"),
} as const;
