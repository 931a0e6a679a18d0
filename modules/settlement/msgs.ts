import { MsgUpdateParams } from "../../proto/gen/aro/settlement/v1/tx.ts";
import type { Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { MsgRoute } from "../../chain/module.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { settlementParams, validateSettlementParams } from "./params.ts";

export const settlementMsgs: MsgRoute[] = [
  updateParamsRoute<Params>({
    typeUrl: "/aro.settlement.v1.MsgUpdateParams", type: MsgUpdateParams, validate: validateSettlementParams,
    set(store, p) {
      // epochs are numbered by length: changing it would renumber every epoch in flight
      if (p.epochLength !== settlementParams.get(store).epochLength) throw sdkErrors.invalidRequest.wrap("epoch_length is fixed at genesis");
      settlementParams.set(store, p);
    },
  }),
];
