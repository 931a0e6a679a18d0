import { MsgSubmitJob, MsgSubmitJobResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { submitJob as scheduleJob } from "../compute.ts";

/** MsgSubmitJob: a compute job, its payment held and its nodes routed (compute.ts, routing.ts). */
export const submitJob = msgRoute<MsgSubmitJob>({
  typeUrl: "/aro.gpow.v1.MsgSubmitJob", type: MsgSubmitJob, signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const job = scheduleJob(ctx, m);
    return reply("/aro.gpow.v1.MsgSubmitJobResponse", MsgSubmitJobResponse, { jobId: job.id, nodes: job.executions.map((e) => e.nodeId) });
  },
});
