import type { Module } from "../../chain/module.ts";
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis } from "./genesis.ts";
import { authQueries } from "./queries.ts";

/** x/auth: accounts, account numbers, sequences, public keys and the tx params. */
export const authModule: Module = {
  name: "auth",
  queries: authQueries,
  defaultGenesis: defaultAuthGenesis,
  initGenesis: initAuthGenesis,
  exportGenesis: exportAuthGenesis,
};

export { authKeeper, moduleAddress, FEE_COLLECTOR } from "./keeper.ts";
