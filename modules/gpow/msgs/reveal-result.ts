import { MsgRevealResult, MsgRevealResultResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { revealResult as reveal } from "../compute.ts";

/** MsgRevealResult: a node opens its committed job result; the job resolves once all are in (compute.ts). */
export const revealResult = msgRoute<MsgRevealResult>({
  typeUrl: "/aro.gpow.v1.MsgRevealResult", type: MsgRevealResult, signers: (m) => [m.operator],
  validate: (m) => void validateAddress(m.operator, "operator"),
  handle(ctx, m) {
    reveal(ctx, m);
    return reply("/aro.gpow.v1.MsgRevealResultResponse", MsgRevealResultResponse, {});
  },
});
