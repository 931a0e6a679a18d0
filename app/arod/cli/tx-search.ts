import type { JsonObject } from "@bufbuild/protobuf";
import { SearchTxsResult } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { txResponsesOf, type CometTxJson } from "../../../chain/tx/tx-response.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import type { NodeRpc } from "./node-rpc.ts";
import { SdkJson } from "../rest/sdk-json.ts";

/** The SDK's page count: ceil(total / limit), 0 for no results. */
const pageTotal = (total: number, limit: number) => (total === 0 ? 0 : Math.ceil(total / limit));

/** `simd query txs`: CometBFT's tx_search as the SDK's SearchTxsResult JSON (each tx a TxResponse with its block's time). */
export async function searchTxs(rpc: NodeRpc, query: string, page: number, limit: number, orderBy: "asc" | "desc"): Promise<JsonObject> {
  const r = await rpc.call<{ txs: CometTxJson[]; total_count: string }>("tx_search", { query, prove: false, page: String(page), per_page: String(limit), order_by: orderBy });
  const { txResponses: txs } = await txResponsesOf(r.txs, (h) => rpc.blockTime(h));
  const total = Number(r.total_count);
  const bytes = SearchTxsResult.encode({ totalCount: BigInt(total), count: BigInt(txs.length), pageNumber: BigInt(page), pageTotal: BigInt(pageTotal(total, limit)), limit: BigInt(limit), txs }).finish();
  const registry = apiRegistry();
  return new SdkJson(registry).fromBinary(registry.getMessage("cosmos.base.abci.v1beta1.SearchTxsResult")!, bytes);
}
