import { Metadata, status } from "@grpc/grpc-js";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { grpcStatusOf } from "./status-codes.ts";
import { GrpcError, unaryHandler, type RawCall } from "./unary.ts";

/** The SDK's header for a query at a past height (request) and the height answered (response). */
export const BLOCK_HEIGHT_HEADER = "x-cosmos-block-height";
const MAX_INT64 = (1n << 63n) - 1n;

/** What abci_query runs: the app's QueryRouter. */
export type QueryFn = (req: RequestQuery) => Promise<Partial<ResponseQuery>>;

/** The height asked for in the request metadata; 0 (the latest) when there is none. */
export function requestedHeight(md: Metadata): bigint {
  const values = md.get(BLOCK_HEIGHT_HEADER);
  if (values.length === 0) return 0n;
  if (values.length > 1) throw new GrpcError(status.INVALID_ARGUMENT, `${BLOCK_HEIGHT_HEADER} given ${values.length} times`);
  const v = String(values[0]);
  if (!/^\d{1,19}$/.test(v) || BigInt(v) > MAX_INT64) {
    throw new GrpcError(status.INVALID_ARGUMENT, `invalid height header ${BLOCK_HEIGHT_HEADER} ${JSON.stringify(v.slice(0, 40))}: a block height is a whole number >= 0`);
  }
  return BigInt(v);
}

/**
 * A query method served over gRPC exactly as over abci_query: the request bytes go to the
 * app under the method's path at the height asked for, the response bytes come back with the
 * height answered in the x-cosmos-block-height header; an app error becomes the gRPC status
 * an SDK node gives (status-codes.ts) with the app's message.
 */
export function queryHandler(query: QueryFn, path: string) {
  return unaryHandler(async (call: RawCall) => {
    const height = requestedHeight(call.metadata);
    const res = await query({ path, data: call.request, height, prove: false });
    if ((res.code ?? 0) !== 0) throw new GrpcError(grpcStatusOf(res.codespace ?? "", res.code!), res.log ?? "");
    const headers = new Metadata();
    headers.set(BLOCK_HEIGHT_HEADER, String(res.height ?? height));
    return { value: res.value ?? new Uint8Array(), headers };
  });
}

/** What the REST gateway answers itself over CometBFT's RPC (cosmos.base.tendermint, tx search, a block's txs). */
export interface LocalMethods {
  readonly localPaths: readonly string[];
  callLocal(path: string, request: Uint8Array, height: bigint | undefined): Promise<Uint8Array>;
}

/** One of those methods over gRPC: the gateway's error (a gRPC code already) becomes the status. */
export function localHandler(local: LocalMethods, path: string) {
  return unaryHandler(async (call: RawCall) => {
    const height = requestedHeight(call.metadata);
    try {
      return { value: await local.callLocal(path, call.request, height || undefined) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new GrpcError(typeof code === "number" ? code : status.INTERNAL, (err as Error).message);
    }
  });
}
