import type { Module } from "../../chain/module.ts";
import { defaultSlashingGenesis, exportSlashingGenesis, initSlashingGenesis } from "./genesis.ts";
import { slashingBeginBlock } from "./abci.ts";
import { slashingMsgs } from "./msgs.ts";
import { slashingQueries } from "./queries.ts";

/** x/slashing: downtime (from each block's signatures) and double signing (CometBFT evidence) → slash and jail. */
export const slashingModule: Module = {
  name: "slashing",
  msgs: slashingMsgs,
  queries: slashingQueries,
  defaultGenesis: defaultSlashingGenesis,
  initGenesis: initSlashingGenesis,
  exportGenesis: exportSlashingGenesis,
  beginBlock: slashingBeginBlock,
};
