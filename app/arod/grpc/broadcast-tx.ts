import { createHash } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { BroadcastMode, BroadcastTxRequest, BroadcastTxResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { GrpcError, unaryHandler, type RawCall } from "./unary.ts";

export const BROADCAST_TX = "/cosmos.tx.v1beta1.Service/BroadcastTx";
const RPC_TIMEOUT_MS = 30_000;

interface CheckTxJson {
  code?: number;
  data?: string;
  log?: string;
  codespace?: string;
  hash?: string;
}

/**
 * CometBFT RPC errors the SDK answers as a TxResponse with a code (client/broadcast.go
 * CheckCometError): the tx is already in the mempool's cache, the mempool is full, the tx is too large.
 */
const COMET_ERRORS: Array<[RegExp, number]> = [
  [/tx already exists in cache/, 19],
  [/mempool is full/, 20],
  [/tx too large/, 21],
];

/**
 * cosmos.tx.v1beta1.Service/BroadcastTx: the tx goes to CometBFT's broadcast_tx_sync (CheckTx
 * result) or broadcast_tx_async (hash only) at the node's RPC, as the SDK's tx service does.
 */
export function broadcastTxHandler(rpcUrl: string) {
  return unaryHandler(async (call: RawCall) => {
    let req: BroadcastTxRequest;
    try {
      req = BroadcastTxRequest.decode(call.request);
    } catch (err) {
      throw new GrpcError(status.INVALID_ARGUMENT, `cannot decode the request: ${(err as Error).message}`);
    }
    if (req.txBytes.length === 0) throw new GrpcError(status.INVALID_ARGUMENT, "invalid empty tx");
    const method = req.mode === BroadcastMode.BROADCAST_MODE_SYNC ? "broadcast_tx_sync" : req.mode === BroadcastMode.BROADCAST_MODE_ASYNC ? "broadcast_tx_async" : undefined;
    if (!method) throw new GrpcError(status.INVALID_ARGUMENT, `unsupported broadcast mode ${req.mode}; supported modes: BROADCAST_MODE_SYNC, BROADCAST_MODE_ASYNC`);
    const txhash = createHash("sha256").update(req.txBytes).digest("hex").toUpperCase();
    const body = await callRpc(rpcUrl, method, { tx: Buffer.from(req.txBytes).toString("base64") });
    let txResponse: TxResponse;
    if (body.result) {
      const r = body.result;
      txResponse = TxResponse.fromPartial({
        txhash: r.hash ?? txhash, code: r.code ?? 0, codespace: r.codespace ?? "", rawLog: r.log ?? "",
        data: Buffer.from(r.data ?? "", "base64").toString("hex").toUpperCase(),
      });
    } else {
      const message = `${body.error?.message ?? "error"}: ${body.error?.data ?? ""}`;
      const known = COMET_ERRORS.find(([re]) => re.test(message));
      if (!known) throw new GrpcError(status.UNKNOWN, `CometBFT ${method}: ${message}`);
      txResponse = TxResponse.fromPartial({ txhash, code: known[1], codespace: "sdk", rawLog: message });
    }
    return { value: BroadcastTxResponse.encode({ txResponse }).finish() };
  });
}

async function callRpc(rpcUrl: string, method: string, params: Record<string, string>): Promise<{ result?: CheckTxJson; error?: { message?: string; data?: string } }> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
    return (await res.json()) as { result?: CheckTxJson; error?: { message?: string; data?: string } };
  } catch (err) {
    throw new GrpcError(status.UNAVAILABLE, `cannot reach CometBFT RPC at ${rpcUrl}: ${(err as Error).message}`);
  }
}
