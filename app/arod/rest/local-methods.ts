import type { JsonObject } from "@bufbuild/protobuf";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import type { CometRpc } from "./comet-rpc.ts";

/** What a gateway method may use: CometBFT's RPC, the app's abci_query, the height asked for. */
export interface MethodContext {
  readonly rpc: CometRpc;
  abciQuery(req: Pick<RequestQuery, "path" | "data" | "height" | "prove">): Promise<Partial<ResponseQuery>>;
  readonly height?: bigint;
}

/**
 * Methods the gateway answers itself (not through the app's query router), by gRPC path.
 * `req` is the decoded request (@bufbuild/protobuf message, camelCase fields); the answer is
 * the response's encoded bytes or its proto3 JSON, which the gateway checks against the schema.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LocalMethods = Record<string, (req: any, ctx: MethodContext) => Promise<Uint8Array | JsonObject>>;
