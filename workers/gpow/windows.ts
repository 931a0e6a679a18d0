import { epochEndHeight, epochOfHeight, epochStartHeight } from "../../chain/epochs.ts";

/** Epoch boundaries and the GPoW windows after them (heights, inclusive). */
export interface Windows {
  epochLength: bigint;
  claimWindow: bigint;
  proofWindow: bigint;
}
export const epochOf = (w: Windows, height: bigint): bigint => epochOfHeight(w.epochLength, height);
export const epochEnd = (w: Windows, epoch: bigint): bigint => epochEndHeight(w.epochLength, epoch);
export const epochStart = (w: Windows, epoch: bigint): bigint => epochStartHeight(w.epochLength, epoch);
