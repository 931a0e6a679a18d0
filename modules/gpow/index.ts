import type { Module } from "../../chain/module.ts";
import { defaultGpowGenesis, exportGpowGenesis, initGpowGenesis } from "./genesis.ts";
import { gpowEndBlock, recordSeeds } from "./hooks.ts";
import { gpowMsgs } from "./msgs.ts";
import { gpowQueries } from "./queries.ts";

/** aro/gpow: proofs of delivered, stored and computed work, checked on chain. */
export const gpowModule: Module = {
  name: "gpow",
  msgs: gpowMsgs,
  queries: gpowQueries,
  defaultGenesis: defaultGpowGenesis,
  initGenesis: initGpowGenesis,
  exportGenesis: exportGpowGenesis,
  beginBlock: recordSeeds,
  endBlock: gpowEndBlock,
};

export { gpowKeeper } from "./keeper.ts";
