import type { Module } from "../../chain/module.ts";
import { defaultDistributionGenesis, distributionInvariants, exportDistributionGenesis, initDistributionGenesis } from "./genesis.ts";
import { allocateTokens } from "./abci.ts";
import { distributionStakingHooks } from "./staking-hooks.ts";
import { distributionMsgs } from "./msgs.ts";
import { distributionQueries } from "./queries.ts";
import { DISTRIBUTION_MODULE } from "./keys.ts";

/** x/distribution: fees and inflation to validators and delegators (F1, lazy), commission and the community pool. */
export const distributionModule: Module = {
  name: "distribution",
  blockedAccounts: [DISTRIBUTION_MODULE],
  msgs: distributionMsgs,
  queries: distributionQueries,
  defaultGenesis: defaultDistributionGenesis,
  initGenesis: initDistributionGenesis,
  exportGenesis: exportDistributionGenesis,
  beginBlock: allocateTokens,
  hooks: { staking: distributionStakingHooks },
  invariants: distributionInvariants,
};

export { distributionKeeper } from "./keeper.ts";
