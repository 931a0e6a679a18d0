import { Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { epochEndHeight, epochOfHeight, epochStartHeight } from "../../chain/epochs.ts";
import { Item, values } from "../../chain/store/collections.ts";
import type { KVReader } from "../../chain/store/kv.ts";

/**
 * The epoch clock every work module shares: epoch e covers heights [e*L + 1, (e+1)*L]
 * for L = epoch_length. Work done in an epoch is claimed, proven and attested in windows
 * after it, then settled. L is settlement's `epoch_length` param, fixed at genesis; this
 * piece reads it where settlement keeps its params, so counting epochs needs nothing of
 * settlement. It imports no module; settlement takes its params key and default from here.
 */

/** The store key of settlement's params (settlement's keys.params). */
export const EPOCH_PARAMS_KEY = "settlement/params";
/** epoch_length before genesis sets one: an hour of 1 s blocks (settlement's default). */
export const DEFAULT_EPOCH_LENGTH = 3600n;

/** Settlement's params, read here for epoch_length only. */
const settlementParams = new Item(EPOCH_PARAMS_KEY, values.proto(Params));

export const epochs = {
  length: (state: KVReader): bigint => settlementParams.get(state)?.epochLength ?? DEFAULT_EPOCH_LENGTH,
  of: (state: KVReader, height: bigint): bigint => epochOfHeight(epochs.length(state), height),
  start: (state: KVReader, epoch: bigint): bigint => epochStartHeight(epochs.length(state), epoch),
  end: (state: KVReader, epoch: bigint): bigint => epochEndHeight(epochs.length(state), epoch),
};
