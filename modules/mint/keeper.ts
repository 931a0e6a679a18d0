import { Minter, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { decFromString } from "../../chain/dec.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { defaultMintParams } from "./params.ts";

export { MINT_MODULE } from "../../chain/module-accounts.ts";

export const defaultMinter: Minter = { inflation: decFromString("0.13").toString(), annualProvisions: "0" };

export const mintKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get("mint/params");
    return raw ? Params.decode(raw) : defaultMintParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set("mint/params", Params.encode(p).finish());
  },
  getMinter(state: KVReader): Minter {
    const raw = state.get("mint/minter");
    return raw ? Minter.decode(raw) : defaultMinter;
  },
  setMinter(store: KVStore, m: Minter): void {
    store.set("mint/minter", Minter.encode(m).finish());
  },
};
