import { createHash } from "node:crypto";
import { GetTxsEventResponse, BroadcastMode, OrderBy } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { isBeaconTx } from "../../../chain/beacon.ts";
import { txResponsesOf, type CometTxJson } from "../../../chain/tx/tx-response.ts";
import { blockResponse, type CometBlock } from "./block-json.ts";
import { Code, GatewayError } from "./errors.ts";
import type { LocalMethods } from "./local-methods.ts";
import type { SdkJson } from "./sdk-json.ts";

const S = "/cosmos.tx.v1beta1.Service/";
/** CometBFT RPC errors the SDK's tx service answers as codes: already in the mempool's cache, mempool full, too large. */
const COMET_ERRORS: Array<[RegExp, number]> = [
  [/tx already exists in cache/, 19],
  [/mempool is full/, 20],
  [/tx too large/, 21],
];
/** Txs a search or a block page returns at most (the SDK's tx service caps at 100 too). */
const MAX_PAGE = 100;

/**
 * cosmos.tx.v1beta1.Service methods that need CometBFT: broadcasting, searching by events
 * and a block's txs. Simulate and GetTx are the app's own queries (chain/query-router.ts).
 */
export function txService(json: SdkJson): LocalMethods {
  const txSchema = json.registry.getMessage("cosmos.tx.v1beta1.Tx")!;
  return {
    [S + "BroadcastTx"]: async (req, ctx) => {
      const txBytes: Uint8Array = req.txBytes;
      if (txBytes.length === 0) throw GatewayError.invalidArgument("tx_bytes is empty");
      const mode = req.mode as BroadcastMode;
      if (mode !== BroadcastMode.BROADCAST_MODE_SYNC && mode !== BroadcastMode.BROADCAST_MODE_ASYNC) {
        throw GatewayError.invalidArgument(`unsupported broadcast mode ${BroadcastMode[mode] ?? mode}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC (BLOCK was removed in SDK v0.50)`);
      }
      const method = mode === BroadcastMode.BROADCAST_MODE_SYNC ? "broadcast_tx_sync" : "broadcast_tx_async";
      const txhash = createHash("sha256").update(txBytes).digest("hex").toUpperCase();
      let r: { code: number; data: string; log: string; codespace: string; hash: string };
      try {
        r = await ctx.rpc.call(method, { tx: Buffer.from(txBytes).toString("base64") });
      } catch (err) {
        // CometBFT's refusals the SDK answers as a TxResponse with a code (client/broadcast.go CheckCometError)
        const refusal = err instanceof GatewayError && err.code !== Code.UNAVAILABLE ? err.message : undefined;
        const known = refusal === undefined ? undefined : COMET_ERRORS.find(([re]) => re.test(refusal));
        if (!known) throw err;
        r = { code: known[1], codespace: "sdk", log: refusal!, data: "", hash: txhash };
      }
      return {
        tx_response: {
          height: "0", txhash: r.hash ?? txhash, codespace: r.codespace ?? "", code: r.code ?? 0, data: Buffer.from(r.data ?? "", "base64").toString("hex").toUpperCase(),
          raw_log: r.log ?? "", logs: [], info: "", gas_wanted: "0", gas_used: "0", tx: null, timestamp: "", events: [],
        },
      };
    },
    [S + "GetTxsEvent"]: async (req, ctx) => {
      const query = req.query || (req.events as string[]).join(" AND ");
      if (!query) throw GatewayError.invalidArgument("query is empty: give query=<CometBFT query>, e.g. query=message.sender='aro1...'");
      // page and limit, or the deprecated pagination (offset, limit, reverse) older explorers send
      const limit = Number(req.limit || req.pagination?.limit || 100n);
      const page = Number(req.page || (req.pagination?.offset ? req.pagination.offset / BigInt(limit) + 1n : 1n));
      const desc = req.orderBy === OrderBy.ORDER_BY_DESC || (req.orderBy !== OrderBy.ORDER_BY_ASC && req.pagination?.reverse === true);
      if (limit > MAX_PAGE) throw GatewayError.invalidArgument(`limit must be <= ${MAX_PAGE}`);
      const r = await ctx.rpc.call<{ txs: CometTxJson[]; total_count: string }>("tx_search", {
        query, prove: false, page: String(page), per_page: String(limit), order_by: desc ? "desc" : "asc",
      });
      const { txs, txResponses } = await txResponsesOf(r.txs, (h) => ctx.rpc.blockTime(h));
      return GetTxsEventResponse.encode({ txs, txResponses, total: BigInt(r.total_count) }).finish();
    },
    [S + "GetBlockWithTxs"]: async (req, ctx) => {
      if (req.height <= 0n) throw GatewayError.invalidArgument(`height must be greater than 0, got ${req.height}`);
      const b = await ctx.rpc.call<CometBlock>("block", { height: String(req.height) });
      const all = (b.block.data.txs ?? []).map((t) => Buffer.from(t, "base64")).filter((t) => !isBeaconTx(t));
      const offset = Number(req.pagination?.offset ?? 0n);
      const limit = Math.min(Number(req.pagination?.limit || BigInt(MAX_PAGE)), MAX_PAGE);
      const { block_id, block } = blockResponse(b);
      return {
        txs: all.slice(offset, offset + limit).map((t) => json.fromBinary(txSchema, t)),
        block_id, block,
        pagination: { next_key: null, total: String(all.length) },
      };
    },
  };
}
