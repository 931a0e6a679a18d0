import { epochEndHeight, epochOfHeight, epochStartHeight } from "../../chain/epochs.ts";
import { Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { keys } from "./keys.ts";
import { defaultSettlementParams } from "./params.ts";

/**
 * Epochs: epoch e covers heights [e*L + 1, (e+1)*L] for L = epoch_length. Work done in
 * an epoch is claimed, proven and attested in windows after it, then settled.
 */
export const settlementParams = {
  get(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultSettlementParams;
  },
  set(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },
};

export const epochs = {
  length: (state: KVReader): bigint => settlementParams.get(state).epochLength,
  of: (state: KVReader, height: bigint): bigint => epochOfHeight(epochs.length(state), height),
  start: (state: KVReader, epoch: bigint): bigint => epochStartHeight(epochs.length(state), epoch),
  end: (state: KVReader, epoch: bigint): bigint => epochEndHeight(epochs.length(state), epoch),
};
