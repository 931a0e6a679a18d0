import { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { toBech32 } from "@cosmjs/encoding";
import { VALCONS_PREFIX } from "../../chain/address.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { keys, Map, paramsItem, values } from "../../chain/store/collections.ts";
import { defaultSlashingParams } from "./params.ts";

/** The data model of x/slashing. */
const params = paramsItem("slashing/params", Params, defaultSlashingParams);
/** by consensus address */
const signingInfos = new Map("slashing/signing_infos/", keys.string, values.proto(ValidatorSigningInfo));
/** (consensus address, index in the signed-blocks window) of each missed block, holding the byte 1 */
const missed = new Map("slashing/missed/", keys.pair(keys.string, keys.uint), values.bytes);
const MISSED = Uint8Array.of(1);

/** arovalcons1... of a 20-byte CometBFT validator address. */
export const valconsOf = (address: Uint8Array): string => toBech32(VALCONS_PREFIX, address);

/** State access of x/slashing. Keys use the validator's consensus address (arovalcons1...). */
export const slashingKeeper = {
  getParams(state: KVReader): Params {
    return params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    params.set(store, p);
  },
  getSigningInfo(state: KVReader, cons: string): ValidatorSigningInfo | undefined {
    return signingInfos.get(state, cons);
  },
  setSigningInfo(store: KVStore, info: ValidatorSigningInfo): void {
    signingInfos.set(store, info.address, info);
  },
  allSigningInfos(state: KVReader): ValidatorSigningInfo[] {
    return signingInfos.values(state);
  },
  isMissed(state: KVReader, cons: string, index: bigint): boolean {
    return missed.has(state, [cons, index]);
  },
  setMissed(store: KVStore, cons: string, index: bigint, isMissed: boolean): void {
    if (isMissed) missed.set(store, [cons, index], MISSED);
    else missed.delete(store, [cons, index]);
  },
  missedIndexes(state: KVReader, cons: string): bigint[] {
    return missed.keys(state, { prefix: `${cons}/` }).map(([, index]) => index);
  },
  clearMissed(store: KVStore, cons: string): void {
    for (const key of missed.keys(store, { prefix: `${cons}/` })) missed.delete(store, key);
  },
};
