// Shared by the benchmarks: push pre-signed txs through CometBFT's RPC and read back what was committed.
import { isBeaconTx } from "../../chain/beacon.ts";

const log = (s: string) => process.stderr.write(s + "\n");

export async function rpc<T>(base: string, method: string, params: Record<string, unknown>): Promise<T> {
  const res = await fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { data?: string; message?: string } };
  if (!body.result) throw new Error(`${method}: ${body.error?.data ?? body.error?.message}`);
  return body.result;
}

/**
 * broadcast_tx_sync for every tx (base64), in JSON-RPC batches of `batch` calls with
 * `concurrency` requests in flight; then (unless `waitForBlocks` is false) waits until the mempool has drained.
 */
export async function broadcastAll(node: string, txs: string[], batch: number, concurrency: number, o: { waitForBlocks?: boolean } = {}): Promise<{ admitted: number; refused: number }> {
  let next = 0;
  let admitted = 0;
  let refused = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < txs.length) {
      const chunk = txs.slice(next, next + batch);
      next += chunk.length;
      const body = chunk.map((tx, i) => ({ jsonrpc: "2.0", id: i, method: "broadcast_tx_sync", params: { tx } }));
      const res = await fetch(node, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      let reply = (await res.json()) as unknown;
      // CometBFT answers a batch of one with a single response
      if (chunk.length === 1 && reply && typeof reply === "object" && "result" in reply) reply = [reply];
      if (!Array.isArray(reply)) throw new Error(`batch broadcast refused: ${JSON.stringify(reply).slice(0, 300)}`);
      for (const r of reply as Array<{ result?: { code: number; log: string }; error?: { data?: string } }>) {
        if (r.result?.code === 0) admitted++;
        else if (refused++ < 3) log(`refused: ${r.result?.log ?? r.error?.data}`);
      }
    }
  }));
  if (o.waitForBlocks === false) return { admitted, refused };
  log(`admitted ${admitted} in ${((performance.now() - t0) / 1000).toFixed(1)}s; waiting for blocks...`);
  let idle = 0;
  let lastPending = -1;
  for (;;) {
    const { n_txs } = await rpc<{ n_txs: string }>(node, "num_unconfirmed_txs", {});
    const pending = Number(n_txs);
    if (pending === 0) break;
    idle = pending === lastPending ? idle + 1 : 0;
    if (idle > 120) throw new Error(`the mempool is stuck at ${pending} txs`);
    lastPending = pending;
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 3000)); // the last block commits
  return { admitted, refused };
}

export interface BlockStat { height: number; time: number; txs: number; ok: number; events: string[] }

/** Time, tx count and event types of every block in [from, to], read from the node. */
export async function blockStats(node: string, from: number, to: number): Promise<BlockStat[]> {
  const out: BlockStat[] = [];
  for (let h = from; h <= to; h++) {
    const b = await rpc<{ block: { header: { time: string }; data: { txs: string[] | null } } }>(node, "block", { height: String(h) });
    const res = await rpc<{ txs_results: Array<{ code: number }> | null; finalize_block_events: Array<{ type: string }> | null }>(node, "block_results", { height: String(h) });
    // the randomness beacon the proposer puts first is not a user tx
    const beacon = b.block.data.txs?.length && isBeaconTx(new Uint8Array(Buffer.from(b.block.data.txs[0], "base64"))) ? 1 : 0;
    const results = (res.txs_results ?? []).slice(beacon);
    out.push({ height: h, time: Date.parse(b.block.header.time), txs: results.length, ok: results.filter((r) => r.code === 0).length, events: (res.finalize_block_events ?? []).map((e) => e.type) });
  }
  return out;
}

/** Committed tx/s and mean block time over the blocks that carried txs (timed from the block before the first). */
export function throughput(blocks: BlockStat[]): { committed: number; failed: number; seconds: number; meanBlock: number; tps: number; blocksWithTxs: number; maxInBlock: number } {
  const withTxs = blocks.filter((b) => b.txs > 0);
  if (withTxs.length === 0) throw new Error("no block carried a tx");
  const first = withTxs[0];
  const last = withTxs[withTxs.length - 1];
  const before = blocks[blocks.indexOf(first) - 1] ?? { time: first.time - 1000 };
  const seconds = (last.time - before.time) / 1000;
  const span = blocks.indexOf(last) - blocks.indexOf(first) + 1;
  const committed = blocks.reduce((s, b) => s + b.ok, 0);
  return {
    committed, failed: blocks.reduce((s, b) => s + b.txs - b.ok, 0), seconds, meanBlock: seconds / span, tps: committed / seconds,
    blocksWithTxs: withTxs.length, maxInBlock: Math.max(...withTxs.map((b) => b.txs)),
  };
}
