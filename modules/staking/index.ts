import type { Module } from "../../chain/module.ts";
import { defaultStakingGenesis, exportStakingGenesis, initStakingGenesis, stakingInvariants } from "./genesis.ts";
import { stakingEndBlock } from "./abci.ts";
import { stakingMsgs } from "./msgs.ts";
import { stakingQueries } from "./queries.ts";
import { BONDED_POOL, NOT_BONDED_POOL } from "./keys.ts";

/** x/staking: validators, delegations, unbonding and redelegation, and CometBFT's validator set. */
export const stakingModule: Module = {
  name: "staking",
  blockedAccounts: [BONDED_POOL, NOT_BONDED_POOL],
  msgs: stakingMsgs,
  queries: stakingQueries,
  defaultGenesis: defaultStakingGenesis,
  initGenesis: initStakingGenesis,
  exportGenesis: exportStakingGenesis,
  endBlock: stakingEndBlock,
  invariants: stakingInvariants,
};

export { stakingKeeper } from "./keeper.ts";
