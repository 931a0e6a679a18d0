import { registerError } from "../../chain/errors.ts";

/** aro market codespace. */
export const marketErrors = {
  noEscrow: registerError("market", 2, "no escrow for this account"),
  insufficientEscrow: registerError("market", 3, "escrow balance too small"),
  invalidContent: registerError("market", 4, "invalid content"),
  contentNotFound: registerError("market", 5, "content not found"),
  noNodes: registerError("market", 6, "no active node can take a replica"),
  contentExists: registerError("market", 7, "content already published"),
  invalidTerm: registerError("market", 8, "invalid storage term"),
  notReplica: registerError("market", 9, "node holds no replica of this content"),
  alreadyAcked: registerError("market", 10, "replica already acked"),
  contentExpired: registerError("market", 11, "content expired"),
  insufficientAllotment: registerError("market", 12, "allotment too small"),
  invalidMediaType: registerError("market", 13, "invalid media type"),
} as const;
