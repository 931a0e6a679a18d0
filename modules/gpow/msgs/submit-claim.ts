import { MsgSubmitClaim, MsgSubmitClaimResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { submitClaim as deliverClaim } from "../delivery.ts";

/** MsgSubmitClaim: a node's delivery claim for an epoch, its receipts' tallies per client (checked and held in delivery.ts). */
export const submitClaim = msgRoute<MsgSubmitClaim>({
  typeUrl: "/aro.gpow.v1.MsgSubmitClaim", type: MsgSubmitClaim, signers: (m) => [m.operator],
  validate: (m) => void validateAddress(m.operator, "operator"),
  handle(ctx, m) {
    deliverClaim(ctx, m);
    return reply("/aro.gpow.v1.MsgSubmitClaimResponse", MsgSubmitClaimResponse, {});
  },
});
