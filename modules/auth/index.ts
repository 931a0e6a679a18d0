import type { Module } from "../../chain/module.ts";
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis } from "./genesis.ts";
import { authQueries } from "./queries.ts";
import { MsgUpdateParams } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { authKeeper, FEE_COLLECTOR } from "./keeper.ts";
import { validateAuthParams } from "./params.ts";

/** x/auth: accounts, account numbers, sequences, public keys and the tx params. */
export const authModule: Module = {
  name: "auth",
  blockedAccounts: [FEE_COLLECTOR],
  msgs: [updateParamsRoute<Params>({ typeUrl: "/cosmos.auth.v1beta1.MsgUpdateParams", type: MsgUpdateParams, validate: validateAuthParams, set: (s, p) => authKeeper.setParams(s, p) })],
  queries: authQueries,
  defaultGenesis: defaultAuthGenesis,
  initGenesis: initAuthGenesis,
  exportGenesis: exportAuthGenesis,
};

export { authKeeper, moduleAddress, FEE_COLLECTOR } from "./keeper.ts";
