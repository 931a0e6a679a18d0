import * as v1 from "cosmjs-types/cosmos/gov/v1/tx";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { requireGovAuthority } from "../../../chain/params-route.ts";
import { govKeeper } from "../keeper.ts";
import { validateGovParams } from "../params.ts";

/** MsgUpdateParams (gov's own, v1): only the gov account. */
export const updateParams = msgRoute<v1.MsgUpdateParams>({
  typeUrl: "/cosmos.gov.v1.MsgUpdateParams",
  type: v1.MsgUpdateParams,
  signers: (m) => [m.authority],
  validate: (m) => (validateAddress(m.authority, "authority"), validateGovParams(m.params)),
  handle: (ctx, m) => {
    requireGovAuthority(m.authority);
    govKeeper.setParams(ctx.store, m.params);
    return reply("/cosmos.gov.v1.MsgUpdateParamsResponse", v1.MsgUpdateParamsResponse, {});
  },
});
