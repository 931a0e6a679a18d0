import {
  MsgCommitResult, MsgCommitResultResponse, MsgRevealResult, MsgRevealResultResponse, MsgSubmitClaim, MsgSubmitClaimResponse, MsgSubmitJob,
  MsgSubmitJobResponse, MsgSubmitProof, MsgSubmitProofResponse, MsgSubmitStorageProof, MsgSubmitStorageProofResponse, MsgUpdateParams,
} from "../../proto/gen/aro/gpow/v1/tx.ts";
import type { Params } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { validateAddress } from "../../chain/address.ts";
import { msgRoute, type MsgRoute } from "../../chain/module.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { commitResult, revealResult, submitJob } from "./compute.ts";
import { submitClaim, submitProof } from "./delivery.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { validateGpowParams } from "./params.ts";
import { submitStorageProof, validateStorageProof } from "./storage.ts";

const M = "/aro.gpow.v1.";
const reply = <T>(name: string, type: { encode(m: T): { finish(): Uint8Array } }, value: T) => ({ typeUrl: M + name, value: type.encode(value).finish() });

export const gpowMsgs: MsgRoute[] = [
  msgRoute<MsgSubmitClaim>({
    typeUrl: M + "MsgSubmitClaim", type: MsgSubmitClaim, signers: (m) => [m.operator],
    validate: (m) => void validateAddress(m.operator, "operator"),
    handle(ctx, m) {
      submitClaim(ctx, m);
      return reply("MsgSubmitClaimResponse", MsgSubmitClaimResponse, {});
    },
  }),
  msgRoute<MsgSubmitProof>({
    typeUrl: M + "MsgSubmitProof", type: MsgSubmitProof, signers: (m) => [m.operator],
    validate: (m) => void validateAddress(m.operator, "operator"),
    handle(ctx, m) {
      const accepted = submitProof(ctx, m.operator, m.nodeId, m.epoch, m.offset, m.receipt, m.branch);
      return reply("MsgSubmitProofResponse", MsgSubmitProofResponse, { claimAccepted: accepted });
    },
  }),
  msgRoute<MsgSubmitStorageProof>({
    typeUrl: M + "MsgSubmitStorageProof", type: MsgSubmitStorageProof, signers: (m) => [m.operator],
    validate(m) {
      validateAddress(m.operator, "operator");
      validateStorageProof(m);
    },
    handle(ctx, m) {
      submitStorageProof(ctx, m);
      return reply("MsgSubmitStorageProofResponse", MsgSubmitStorageProofResponse, {});
    },
  }),
  msgRoute<MsgSubmitJob>({
    typeUrl: M + "MsgSubmitJob", type: MsgSubmitJob, signers: (m) => [m.owner],
    validate: (m) => void validateAddress(m.owner, "owner"),
    handle(ctx, m) {
      const job = submitJob(ctx, m);
      return reply("MsgSubmitJobResponse", MsgSubmitJobResponse, { jobId: job.id, nodes: job.executions.map((e) => e.nodeId) });
    },
  }),
  msgRoute<MsgCommitResult>({
    typeUrl: M + "MsgCommitResult", type: MsgCommitResult, signers: (m) => [m.operator],
    validate: (m) => void validateAddress(m.operator, "operator"),
    handle(ctx, m) {
      commitResult(ctx, m);
      return reply("MsgCommitResultResponse", MsgCommitResultResponse, {});
    },
  }),
  msgRoute<MsgRevealResult>({
    typeUrl: M + "MsgRevealResult", type: MsgRevealResult, signers: (m) => [m.operator],
    validate: (m) => void validateAddress(m.operator, "operator"),
    handle(ctx, m) {
      revealResult(ctx, m);
      return reply("MsgRevealResultResponse", MsgRevealResultResponse, {});
    },
  }),
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validateGpowParams, set: (s, p) => k.setParams(s, p) }),
];
