import { Minter, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { decFromString } from "../../chain/dec.ts";
import { DefaultedItem, paramsItem, values } from "../../chain/store/collections.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { defaultMintParams } from "./params.ts";

export { MINT_MODULE } from "../../chain/module-accounts.ts";

export const defaultMinter: Minter = { inflation: decFromString("0.13").toString(), annualProvisions: "0" };

/** The mint module's data model. */
const params = paramsItem("mint/params", Params, defaultMintParams);
const minter = new DefaultedItem("mint/minter", values.proto(Minter), defaultMinter);

export const mintKeeper = {
  getParams(state: KVReader): Params {
    return params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    params.set(store, p);
  },
  getMinter(state: KVReader): Minter {
    return minter.get(state);
  },
  setMinter(store: KVStore, m: Minter): void {
    minter.set(store, m);
  },
};
