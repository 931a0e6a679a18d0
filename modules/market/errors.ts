import { registerError } from "../../chain/errors.ts";

/** aro market codespace. */
export const marketErrors = {
  noEscrow: registerError("market", 2, "no escrow for this account"),
  insufficientEscrow: registerError("market", 3, "escrow balance too small"),
  invalidContent: registerError("market", 4, "invalid content"),
  contentNotFound: registerError("market", 5, "content not found"),
  noNodes: registerError("market", 6, "no active node can take a replica"),
  contentExists: registerError("market", 7, "content already published"),
} as const;
