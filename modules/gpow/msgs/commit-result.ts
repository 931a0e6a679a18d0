import { MsgCommitResult, MsgCommitResultResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { commitResult as commit } from "../compute.ts";

/** MsgCommitResult: a node's commitment to its job result, before any result is revealed (compute.ts). */
export const commitResult = msgRoute<MsgCommitResult>({
  typeUrl: "/aro.gpow.v1.MsgCommitResult", type: MsgCommitResult, signers: (m) => [m.operator],
  validate: (m) => void validateAddress(m.operator, "operator"),
  handle(ctx, m) {
    commit(ctx, m);
    return reply("/aro.gpow.v1.MsgCommitResultResponse", MsgCommitResultResponse, {});
  },
});
