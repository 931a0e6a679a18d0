import { registerError } from "../../chain/errors.ts";

/** aro peernode codespace. */
export const peernodeErrors = {
  nodeNotFound: registerError("peernode", 2, "node not found"),
  notOwner: registerError("peernode", 3, "only the node's owner can do this"),
  unknownRegion: registerError("peernode", 4, "unknown region"),
  bondTooSmall: registerError("peernode", 5, "bond below the minimum"),
  invalidDescription: registerError("peernode", 6, "invalid node description"),
  nodeNotActive: registerError("peernode", 7, "node is not active"),
  tooManyBackers: registerError("peernode", 8, "node has the most backers allowed"),
  noGuarantee: registerError("peernode", 9, "no guarantee behind this node from this account"),
  insufficientGuarantee: registerError("peernode", 10, "guarantee smaller than the amount asked for"),
  commissionTooHigh: registerError("peernode", 11, "commission above the maximum"),
  notOperator: registerError("peernode", 12, "signer is neither the node's operator nor its owner"),
  peerIdTaken: registerError("peernode", 13, "another registered node uses this peer id"),
  nodeUnderbonded: registerError("peernode", 14, "node's guarantee is below min_bond"),
  commissionChangedThisEpoch: registerError("peernode", 15, "commission already changed this epoch"),
  commissionChangeTooLarge: registerError("peernode", 16, "commission change above the node's max change rate"),
  tooManyUnbondings: registerError("peernode", 17, "too many unbonding entries behind this node"),
} as const;
