import type { Module } from "../../chain/module.ts";
import { defaultPeernodeGenesis, exportPeernodeGenesis, initPeernodeGenesis, peernodeInvariants } from "./genesis.ts";
import { completeGuaranteeUnbondings } from "./abci.ts";
import { peernodeMsgs } from "./msgs/index.ts";
import { peernodeQueries } from "./queries.ts";
import { BOND_POOL, REWARD_POOL } from "./keys.ts";
import { peernodeKeeper } from "./keeper.ts";
import type { SettlementSources } from "../settlement/expected.ts";

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
  hooks: {
    // the nodes settlement scores, slashes for missed storage and pays
    settlement: {
      peernode: {
        nodesFrom: (state, from, limit) => peernodeKeeper.nodesFrom(state, from, limit),
        mustNode: (state, id) => peernodeKeeper.mustNode(state, id),
        isBonded: (state, n) => peernodeKeeper.isBonded(state, n),
        unbondingsOfNode: (state, id) => peernodeKeeper.unbondingsOfNode(state, id),
        slash: (ctx, id, fraction, reason, infraction) => peernodeKeeper.slash(ctx, id, fraction, reason, infraction),
        creditReward: (ctx, id, amount, epoch) => peernodeKeeper.creditReward(ctx, id, amount, epoch),
      },
    } satisfies Partial<SettlementSources>,
  },
};

export { peernodeKeeper };
