import type { Module } from "../../chain/module.ts";
import { bankInvariants, defaultBankGenesis, exportBankGenesis, initBankGenesis } from "./genesis.ts";
import { bankMsgs } from "./msgs.ts";
import { bankQueries } from "./queries.ts";

/** x/bank: balances, transfers, supply and denom metadata. */
export const bankModule: Module = {
  name: "bank",
  msgs: bankMsgs,
  queries: bankQueries,
  defaultGenesis: defaultBankGenesis,
  initGenesis: initBankGenesis,
  exportGenesis: exportBankGenesis,
  invariants: bankInvariants,
};

export { bankKeeper } from "./keeper.ts";
