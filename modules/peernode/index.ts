import type { Module } from "../../chain/module.ts";
import { defaultPeernodeGenesis, exportPeernodeGenesis, initPeernodeGenesis, peernodeInvariants } from "./genesis.ts";
import { completeGuaranteeUnbondings } from "./hooks.ts";
import { peernodeMsgs } from "./msgs.ts";
import { peernodeQueries } from "./queries.ts";
import { BOND_POOL, REWARD_POOL } from "./keys.ts";

/** aro/peernode: edge machines registered with a guarantee bond, backers, and their rewards. */
export const peernodeModule: Module = {
  name: "peernode",
  blockedAccounts: [BOND_POOL, REWARD_POOL],
  msgs: peernodeMsgs,
  queries: peernodeQueries,
  defaultGenesis: defaultPeernodeGenesis,
  initGenesis: initPeernodeGenesis,
  exportGenesis: exportPeernodeGenesis,
  endBlock: completeGuaranteeUnbondings,
  invariants: peernodeInvariants,
};

export { peernodeKeeper } from "./keeper.ts";
