import type { Context } from "../module.ts";
import type { DecodedTx } from "./decode.ts";
import type { GasPrice } from "./min-gas-price.ts";
import type { SignatureCache } from "./signature-cache.ts";

export interface AnteOptions {
  /** Node-local minimum gas price, checked in CheckTx only (as the SDK does). */
  readonly minGasPrice?: GasPrice;
  /** Block gas limit from consensus params; undefined when unlimited. */
  readonly maxBlockGas?: bigint;
  readonly sigCache: SignatureCache;
}

/** Checks and charges a tx before its messages run (x/auth provides it). */
export type AnteHandler = (ctx: Context, tx: DecodedTx, opts: AnteOptions) => void;
