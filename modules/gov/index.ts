import { Proposal } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Module, MsgRoute } from "../../chain/module.ts";
import { GOV_MODULE } from "../../chain/module-accounts.ts";
import { govEndBlock } from "./abci.ts";
import { govKeeper, govStore } from "./keeper.ts";
import { govMsgs } from "./msgs.ts";
import { defaultGovParams, govParamsFromJson, govParamsToJson } from "./params.ts";
import { govQueries } from "./queries.ts";
import { authKeeper } from "./expected.ts";

/**
 * x/gov (v1, with the v1beta1 messages and queries CosmJS uses): proposals carrying
 * arbitrary messages, deposits, (weighted) votes, stake-weighted tally, and execution
 * of passed proposals as the gov account. Each app gets its own instance, bound to
 * the app's message router.
 */
export function createGovModule(): Module {
  let routes: ReadonlyMap<string, MsgRoute> = new Map();
  return {
    name: "gov",
    msgs: govMsgs(() => routes),
    queries: govQueries,
    bindRouter: (r) => void (routes = r),
    defaultGenesis: () => ({ starting_proposal_id: "1", params: govParamsToJson(defaultGovParams), proposals: [] }),
    initGenesis(ctx, raw) {
      const g = (raw ?? {}) as { params?: Record<string, unknown>; starting_proposal_id?: string; proposals?: unknown[] };
      govKeeper.setParams(ctx.store, govParamsFromJson(g.params));
      govStore.nextId.set(ctx.store, BigInt(String(g.starting_proposal_id ?? "1")));
      authKeeper.getOrCreateModuleAccount(ctx.store, GOV_MODULE, ["burner"]);
    },
    exportGenesis: (state) => ({
      starting_proposal_id: govStore.nextId.peek(state).toString(),
      params: govParamsToJson(govKeeper.getParams(state)),
      // finished proposals, as JSON for the record (active ones do not survive an export yet)
      proposals: govKeeper.allProposals(state).map((p) => Proposal.toJSON(p)),
    }),
    endBlock: (ctx) => govEndBlock(ctx, routes),
  };
}
