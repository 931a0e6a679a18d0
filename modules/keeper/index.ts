import type { Module } from "../../chain/module.ts";
import { defaultKeeperGenesis, exportKeeperGenesis, initKeeperGenesis, keeperInvariants } from "./genesis.ts";
import { completeKeeperUnbondings, snapshotKeepers } from "./hooks.ts";
import { keeperMsgs } from "./msgs.ts";
import { keeperQueries } from "./queries.ts";
import { REWARD_POOL, STAKE_POOL } from "./keys.ts";

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
};

export { keeperKeeper } from "./keeper.ts";
