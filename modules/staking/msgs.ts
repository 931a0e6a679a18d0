import type { MsgRoute } from "../../chain/module.ts";
import { beginRedelegate } from "./msgs/begin-redelegate.ts";
import { createValidator } from "./msgs/create-validator.ts";
import { delegate } from "./msgs/delegate.ts";
import { editValidator } from "./msgs/edit-validator.ts";
import { undelegate } from "./msgs/undelegate.ts";
import { updateParams } from "./msgs/update-params.ts";

/** The messages of x/staking, a file each under msgs/ (what they share is msgs/common.ts). */
export const stakingMsgs: MsgRoute[] = [createValidator, editValidator, delegate, undelegate, beginRedelegate, updateParams];
