import { MsgUpdateParams } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import type { Params } from "../../../proto/gen/aro/gpow/v1/gpow.ts";
import { updateParamsRoute } from "../../../chain/params-route.ts";
import { gpowKeeper as k } from "../keeper.ts";
import { validateGpowParams } from "../params.ts";

/** MsgUpdateParams (gov's authority only). */
export const updateParams = updateParamsRoute<Params>({ typeUrl: "/aro.gpow.v1.MsgUpdateParams", type: MsgUpdateParams, validate: validateGpowParams, set: (s, p) => k.setParams(s, p) });
