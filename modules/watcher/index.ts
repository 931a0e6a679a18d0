import type { Module } from "../../chain/module.ts";
import { defaultWatcherGenesis, exportWatcherGenesis, initWatcherGenesis, watcherInvariants } from "./genesis.ts";
import { snapshotWatchers, watcherEndBlock } from "./abci.ts";
import { watcherMsgs } from "./msgs.ts";
import { watcherQueries } from "./queries.ts";
import { REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { evaluateNode } from "./evaluation.ts";
import { watcherKeeper } from "./keeper.ts";
import type { SettlementSources } from "../settlement/expected.ts";

/** aro/watcher: staked verifiers drawn into per-node committees each epoch, attesting uptime and quality. */
export const watcherModule: Module = {
  name: "watcher",
  blockedAccounts: [STAKE_POOL, REWARD_POOL],
  msgs: watcherMsgs,
  queries: watcherQueries,
  defaultGenesis: defaultWatcherGenesis,
  initGenesis: initWatcherGenesis,
  exportGenesis: exportWatcherGenesis,
  beginBlock: snapshotWatchers,
  endBlock: watcherEndBlock,
  invariants: watcherInvariants,
  hooks: {
    // what settlement reads of the attestations, and how it pays the watchers who filed them
    settlement: {
      watcher: {
        params: (state) => watcherKeeper.getParams(state),
        evaluateNode,
        attestedIn: (state, epoch) => watcherKeeper.attestedIn(state, epoch),
        get: (state, watcher) => watcherKeeper.get(state, watcher),
        creditReward: (ctx, watcher, amount) => watcherKeeper.creditReward(ctx, watcher, amount),
      },
    } satisfies Partial<SettlementSources>,
  },
};

export { watcherKeeper };
