import { MsgSubmitProof, MsgSubmitProofResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { submitProof as proveDelivery } from "../delivery.ts";

/** MsgSubmitProof: one opened receipt of a sampled delivery claim (checked in delivery.ts); the last one accepts the claim. */
export const submitProof = msgRoute<MsgSubmitProof>({
  typeUrl: "/aro.gpow.v1.MsgSubmitProof", type: MsgSubmitProof, signers: (m) => [m.operator],
  validate: (m) => void validateAddress(m.operator, "operator"),
  handle(ctx, m) {
    const accepted = proveDelivery(ctx, m.operator, m.nodeId, m.epoch, m.offset, m.receipt, m.branch);
    return reply("/aro.gpow.v1.MsgSubmitProofResponse", MsgSubmitProofResponse, { claimAccepted: accepted });
  },
});
