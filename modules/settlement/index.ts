import type { Module } from "../../chain/module.ts";
import { defaultSettlementGenesis, exportSettlementGenesis, initSettlementGenesis, settlementInvariants } from "./genesis.ts";
import { fundFromInflation, nextToSettle, settleEpochs } from "./settle.ts";
import { settlementQueries } from "./queries.ts";
import { settlementMsgs } from "./msgs.ts";
import { SETTLEMENT_POOL } from "./keys.ts";
import { gpowWorkSink } from "./work.ts";
import { pruneSettlementRecords } from "./prune.ts";
import type { KVReader } from "../../chain/store/kv.ts";

/** What settlement offers market: registered as its `market` hooks, market's SettlementProgressHooks (modules/market/expected.ts). */
export const marketProgress = { settledThrough: (state: KVReader): bigint => nextToSettle(state) - 1n };

/** aro/settlement: customers' payments to the nodes that did the work (less the burn) and per-epoch availability pools split by score, in bounded batches, explainable. */
export const settlementModule: Module = {
  name: "settlement",
  blockedAccounts: [SETTLEMENT_POOL],
  msgs: settlementMsgs,
  queries: settlementQueries,
  defaultGenesis: defaultSettlementGenesis,
  initGenesis: initSettlementGenesis,
  exportGenesis: exportSettlementGenesis,
  beginBlock: fundFromInflation,
  // settle, then prune what record_retention_epochs no longer keeps (both bounded)
  endBlock: (ctx) => {
    settleEpochs(ctx);
    pruneSettlementRecords(ctx);
  },
  invariants: settlementInvariants,
  hooks: {
    gpow: gpowWorkSink,
    market: marketProgress,
  },
};
