import { QueryAnnualProvisionsRequest, QueryAnnualProvisionsResponse, QueryInflationRequest, QueryInflationResponse, QueryParamsRequest, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { decFromString, decFromWire, decToString } from "../../chain/dec.ts";
import { queryRoute, type Module } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { defaultMinter, MINT_MODULE, mintKeeper } from "./keeper.ts";
import { mintBeginBlock } from "./abci.ts";
import { defaultMintParams, mintParamsFromJson, mintParamsToJson, validateMintParams } from "./params.ts";
import { MsgUpdateParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { authKeeper } from "./expected.ts";

const Q = "/cosmos.mint.v1beta1.Query/";
const bytes = (d: string) => new TextEncoder().encode(d);

/** x/mint: inflation into the fee collector each block, steered by the bonded ratio. */
export const mintModule: Module = {
  name: "mint",
  blockedAccounts: [MINT_MODULE],
  msgs: [updateParamsRoute<Params>({ typeUrl: "/cosmos.mint.v1beta1.MsgUpdateParams", type: MsgUpdateParams, validate: validateMintParams, set: (s, p) => mintKeeper.setParams(s, p) })],
  queries: [
    queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: mintKeeper.getParams(state) })),
    queryRoute(Q + "Inflation", QueryInflationRequest, QueryInflationResponse, (state) => ({ inflation: bytes(mintKeeper.getMinter(state).inflation) })),
    queryRoute(Q + "AnnualProvisions", QueryAnnualProvisionsRequest, QueryAnnualProvisionsResponse, (state) => ({
      annualProvisions: bytes(mintKeeper.getMinter(state).annualProvisions),
    })),
  ],
  defaultGenesis: () => ({ minter: { inflation: "0.130000000000000000", annual_provisions: "0.000000000000000000" }, params: mintParamsToJson(defaultMintParams) }),
  initGenesis(ctx, raw) {
    const g = (raw ?? {}) as { minter?: { inflation?: string; annual_provisions?: string }; params?: Record<string, unknown> };
    mintKeeper.setParams(ctx.store, mintParamsFromJson(g.params));
    mintKeeper.setMinter(ctx.store, g.minter?.inflation
      ? { inflation: decFromString(g.minter.inflation).toString(), annualProvisions: decFromString(g.minter.annual_provisions ?? "0").toString() }
      : defaultMinter);
    authKeeper.getOrCreateModuleAccount(ctx.store, MINT_MODULE, ["minter"]);
  },
  exportGenesis: (state: KVReader) => {
    const m = mintKeeper.getMinter(state);
    return { minter: { inflation: decToString(decFromWire(m.inflation)), annual_provisions: decToString(decFromWire(m.annualProvisions)) }, params: mintParamsToJson(mintKeeper.getParams(state)) };
  },
  beginBlock: mintBeginBlock,
};
