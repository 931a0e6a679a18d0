import type { Module } from "../../chain/module.ts";
import { defaultMarketGenesis, exportMarketGenesis, initMarketGenesis, marketInvariants } from "./genesis.ts";
import { marketMsgs } from "./msgs.ts";
import { marketQueries } from "./queries.ts";
import { ESCROW_POOL } from "./keys.ts";
import { marketKeeper } from "./keeper.ts";
import { marketEndBlock } from "./abci.ts";
import type { SettlementSources } from "../settlement/expected.ts";

/** aro/market: customers' escrow, prices, and published content with its replicas. */
export const marketModule: Module = {
  name: "market",
  blockedAccounts: [ESCROW_POOL],
  msgs: marketMsgs,
  queries: marketQueries,
  defaultGenesis: defaultMarketGenesis,
  initGenesis: initMarketGenesis,
  exportGenesis: exportMarketGenesis,
  invariants: marketInvariants,
  endBlock: marketEndBlock,
  // the prices settlement values a node's work at
  hooks: { settlement: { market: { prices: (state) => marketKeeper.getParams(state).prices! } } satisfies Partial<SettlementSources> },
};

export { marketKeeper };
