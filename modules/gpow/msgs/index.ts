import type { MsgRoute } from "../../../chain/module.ts";
import { commitResult } from "./commit-result.ts";
import { revealResult } from "./reveal-result.ts";
import { revokeDeliveryGrant } from "./revoke-delivery-grant.ts";
import { submitClaim } from "./submit-claim.ts";
import { submitJob } from "./submit-job.ts";
import { submitProof } from "./submit-proof.ts";
import { submitStorageProof } from "./submit-storage-proof.ts";
import { updateParams } from "./update-params.ts";

/** aro/gpow's messages, one file each (named after the message). */
export const gpowMsgs: MsgRoute[] = [submitClaim, submitProof, submitStorageProof, submitJob, commitResult, revealResult, revokeDeliveryGrant, updateParams];
