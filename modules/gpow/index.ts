import type { Module } from "../../chain/module.ts";
import { defaultGpowGenesis, exportGpowGenesis, initGpowGenesis } from "./genesis.ts";
import { gpowEndBlock, recordSeeds } from "./abci.ts";
import { gpowMsgs } from "./msgs/index.ts";
import { gpowQueries } from "./queries.ts";
import { gpowKeeper } from "./keeper.ts";
import { epochs } from "../epochs/epochs.ts";
import type { ChargeWindowHooks } from "../market/expected.ts";
import type { SettlementSources } from "../settlement/expected.ts";
import { claimsResolvedThrough } from "./delivery.ts";
import { challengedReplicas } from "./storage.ts";
import { grantInvariants } from "./grants.ts";

/** aro/gpow: proofs of delivered, stored and computed work, checked on chain. */
export const gpowModule: Module = {
  name: "gpow",
  msgs: gpowMsgs,
  queries: gpowQueries,
  defaultGenesis: defaultGpowGenesis,
  initGenesis: initGpowGenesis,
  exportGenesis: exportGpowGenesis,
  beginBlock: recordSeeds,
  endBlock: gpowEndBlock,
  invariants: grantInvariants,
  // a delivery is charged when its claim is made, up to claim_window blocks after its epoch ends
  hooks: {
    market: { chargeableUntil: (state, height) => epochs.end(state, epochs.of(state, height)) + gpowKeeper.getParams(state).claimWindow } satisfies ChargeWindowHooks,
    // what settlement reads of the proofs when it scores an epoch
    settlement: {
      gpow: {
        params: (state) => gpowKeeper.getParams(state),
        claimsResolvedThrough,
        challengedReplicas,
        storageProven: (state, epoch, node, content) => gpowKeeper.storageProven(state, epoch, node, content),
        hasClaim: (state, epoch, node) => gpowKeeper.getClaim(state, epoch, node) !== undefined,
      },
    } satisfies Partial<SettlementSources>,
  },
};

export { gpowKeeper };
