import type { Module } from "../../chain/module.ts";
import { defaultKeeperGenesis, exportKeeperGenesis, initKeeperGenesis, keeperInvariants } from "./genesis.ts";
import { completeKeeperUnbondings, snapshotKeepers } from "./abci.ts";
import { keeperMsgs } from "./msgs.ts";
import { keeperQueries } from "./queries.ts";
import { REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { evaluateNode } from "./evaluation.ts";
import { keeperKeeper } from "./keeper.ts";
import type { SettlementSources } from "../settlement/expected.ts";

/** aro/keeper: staked verifiers drawn into per-node committees each epoch, attesting uptime and quality. */
export const keeperModule: Module = {
  name: "keeper",
  blockedAccounts: [STAKE_POOL, REWARD_POOL],
  msgs: keeperMsgs,
  queries: keeperQueries,
  defaultGenesis: defaultKeeperGenesis,
  initGenesis: initKeeperGenesis,
  exportGenesis: exportKeeperGenesis,
  beginBlock: snapshotKeepers,
  endBlock: completeKeeperUnbondings,
  invariants: keeperInvariants,
  hooks: {
    // what settlement reads of the attestations, and how it pays the keepers who filed them
    settlement: {
      keeper: {
        params: (state) => keeperKeeper.getParams(state),
        evaluateNode,
        attestedIn: (state, epoch) => keeperKeeper.attestedIn(state, epoch),
        get: (state, keeper) => keeperKeeper.get(state, keeper),
        creditReward: (ctx, keeper, amount) => keeperKeeper.creditReward(ctx, keeper, amount),
      },
    } satisfies Partial<SettlementSources>,
  },
};

export { keeperKeeper };
