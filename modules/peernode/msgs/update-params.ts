import { MsgUpdateParams } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import type { Params } from "../../../proto/gen/aro/peernode/v1/peernode.ts";
import { updateParamsRoute } from "../../../chain/params-route.ts";
import { peernodeKeeper as k } from "../keeper.ts";
import { validatePeernodeParams } from "../params.ts";

/** MsgUpdateParams (gov's authority only). */
export const updateParams = updateParamsRoute<Params>({ typeUrl: "/aro.peernode.v1.MsgUpdateParams", type: MsgUpdateParams, validate: validatePeernodeParams, set: (s, p) => k.setParams(s, p) });
