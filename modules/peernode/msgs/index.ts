import type { MsgRoute } from "../../../chain/module.ts";
import { addGuarantee } from "./add-guarantee.ts";
import { deregisterNode } from "./deregister-node.ts";
import { registerNode } from "./register-node.ts";
import { removeGuarantee } from "./remove-guarantee.ts";
import { updateNode } from "./update-node.ts";
import { updateParams } from "./update-params.ts";
import { withdrawRewards } from "./withdraw-node-rewards.ts";

/** aro/peernode's messages, one file each (named after the message). */
export const peernodeMsgs: MsgRoute[] = [registerNode, updateNode, addGuarantee, removeGuarantee, deregisterNode, withdrawRewards, updateParams];
