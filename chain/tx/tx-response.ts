import type { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { isBeaconTx } from "../beacon.ts";

/** A committed tx as CometBFT's RPC (`tx`, `tx_search`) returns it. */
export interface CometTxJson {
  hash: string;
  height: string;
  tx: string;
  tx_result: {
    code?: number; codespace?: string; data?: string; log?: string; info?: string; gas_wanted?: string; gas_used?: string;
    events?: Array<{ type: string; attributes?: Array<{ key: string; value?: string; index?: boolean }> }>;
  };
}

/** The SDK's TxResponse for a committed tx (as its tx service builds it), given its block's time. */
export function txResponseOf(t: CometTxJson, tx: Tx, blockTime: string): TxResponse {
  return {
    height: BigInt(t.height),
    txhash: t.hash,
    codespace: t.tx_result.codespace ?? "",
    code: t.tx_result.code ?? 0,
    data: Buffer.from(t.tx_result.data ?? "", "base64").toString("hex").toUpperCase(),
    rawLog: t.tx_result.log ?? "",
    logs: [],
    info: t.tx_result.info ?? "",
    gasWanted: BigInt(t.tx_result.gas_wanted ?? "0"),
    gasUsed: BigInt(t.tx_result.gas_used ?? "0"),
    tx: { typeUrl: "/cosmos.tx.v1beta1.Tx", value: Tx.encode(tx).finish() },
    timestamp: blockTime,
    events: (t.tx_result.events ?? []).map((e) => ({
      type: e.type,
      attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value ?? "", index: !!a.index })),
    })),
  };
}

/** The Cosmos txs of a tx_search answer with their TxResponses (the block's randomness beacon is not one). */
export async function txResponsesOf(found: readonly CometTxJson[], blockTime: (height: string) => Promise<string>): Promise<{ txs: Tx[]; txResponses: TxResponse[] }> {
  const txs: Tx[] = [];
  const txResponses: TxResponse[] = [];
  for (const t of found) {
    const bytes = Buffer.from(t.tx, "base64");
    if (isBeaconTx(bytes)) continue;
    const tx = Tx.decode(bytes);
    txs.push(tx);
    txResponses.push(txResponseOf(t, tx, await blockTime(t.height)));
  }
  return { txs, txResponses };
}
