import { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { toBech32 } from "@cosmjs/encoding";
import { VALCONS_PREFIX } from "../../chain/address.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { defaultSlashingParams } from "./params.ts";

const P = "slashing/";
const INFOS = P + "signing_infos/";
const missedPrefix = (cons: string) => `${P}missed/${cons}/`;
const missedKey = (cons: string, index: bigint) => missedPrefix(cons) + index.toString().padStart(20, "0");

/** arovalcons1... of a 20-byte CometBFT validator address. */
export const valconsOf = (address: Uint8Array): string => toBech32(VALCONS_PREFIX, address);

/** State access of x/slashing. Keys use the validator's consensus address (arovalcons1...). */
export const slashingKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(P + "params");
    return raw ? Params.decode(raw) : defaultSlashingParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(P + "params", Params.encode(p).finish());
  },
  getSigningInfo(state: KVReader, cons: string): ValidatorSigningInfo | undefined {
    const raw = state.get(INFOS + cons);
    return raw ? ValidatorSigningInfo.decode(raw) : undefined;
  },
  setSigningInfo(store: KVStore, info: ValidatorSigningInfo): void {
    store.set(INFOS + info.address, ValidatorSigningInfo.encode(info).finish());
  },
  allSigningInfos(state: KVReader): ValidatorSigningInfo[] {
    return state.iterate(INFOS).map(([, raw]) => ValidatorSigningInfo.decode(raw));
  },
  isMissed(state: KVReader, cons: string, index: bigint): boolean {
    return state.get(missedKey(cons, index)) !== undefined;
  },
  setMissed(store: KVStore, cons: string, index: bigint, missed: boolean): void {
    if (missed) store.set(missedKey(cons, index), Uint8Array.of(1));
    else store.delete(missedKey(cons, index));
  },
  missedIndexes(state: KVReader, cons: string): bigint[] {
    const prefix = missedPrefix(cons);
    return state.iterate(prefix).map(([k]) => BigInt(k.slice(prefix.length)));
  },
  clearMissed(store: KVStore, cons: string): void {
    for (const [k] of store.iterate(missedPrefix(cons))) store.delete(k);
  },
};
