import { MsgSubmitStorageProof, MsgSubmitStorageProofResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { storageProofShapeFailure } from "../../../chain/proofs/storage-proof.ts";
import { gpowErrors } from "../errors.ts";
import { submitStorageProof as proveStorage } from "../storage.ts";

/** Stateless: a segment of at most SEGMENT_SIZE bytes and branches bounded by tree depth, before any hashing. */
export function validateStorageProof(m: MsgSubmitStorageProof): void {
  const failure = storageProofShapeFailure({ segment: m.segment, segmentBranch: m.segmentBranch, chunkBranch: m.branch });
  if (failure) throw gpowErrors.invalidStorageProof.wrap(failure);
}

/** MsgSubmitStorageProof: a node's answer to its storage challenge for a replica in an epoch (checked in storage.ts). */
export const submitStorageProof = msgRoute<MsgSubmitStorageProof>({
  typeUrl: "/aro.gpow.v1.MsgSubmitStorageProof", type: MsgSubmitStorageProof, signers: (m) => [m.operator],
  validate(m) {
    validateAddress(m.operator, "operator");
    validateStorageProof(m);
  },
  handle(ctx, m) {
    proveStorage(ctx, m);
    return reply("/aro.gpow.v1.MsgSubmitStorageProofResponse", MsgSubmitStorageProofResponse, {});
  },
});
