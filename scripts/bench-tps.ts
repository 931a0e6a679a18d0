// Committed tx/s of arod + cometbft (one validator, 127.0.0.1) and its ratio to the
// secp256k1 verification ceiling measured in the same run on one core.
//   bash scripts/bench-tps [--accounts 800] [--txs-per-account 30] [--batch 50] [--concurrency 8] [--timeout-commit 1s]
import { parseArgs } from "node:util";
import { verifySecp256k1 } from "../chain/crypto/secp256k1.ts";
import { LocalNode } from "../testnet/local-node.ts";
import { TestnetNode } from "./lib/testnet-node.ts";
import { FastAccount } from "./lib/fast-signer.ts";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "800" },
    "txs-per-account": { type: "string", default: "30" },
    "timeout-commit": { type: "string", default: "1s" },
    concurrency: { type: "string", default: "8" },
    batch: { type: "string", default: "50" },
    validators: { type: "string", default: "1" },
  },
});
const ACCOUNTS = Number(args.accounts);
const PER = Number(args["txs-per-account"]);
const BATCH = Number(args.batch);
// Sequences must arrive in order: never have two rounds of the same accounts in flight.
const CONCURRENCY = Math.max(1, Math.min(Number(args.concurrency), Math.floor(ACCOUNTS / BATCH) - 1));
const VALIDATORS = Number(args.validators);
const log = (s: string) => process.stderr.write(s + "\n");

function ceiling(accounts: FastAccount[]): number {
  const samples = accounts.slice(0, 200).flatMap((a, i) => Array.from({ length: 10 }, (_, j) => ({ a, ...a.signDocFor(new TextEncoder().encode(`sample ${i} ${j}`)) })));
  for (const s of samples.slice(0, 200)) verifySecp256k1(s.message, s.signature, s.a.pubkey); // warm up
  const t0 = performance.now();
  let ok = 0;
  for (const s of samples) if (verifySecp256k1(s.message, s.signature, s.a.pubkey)) ok++;
  const secs = (performance.now() - t0) / 1000;
  if (ok !== samples.length) throw new Error("ceiling: a signature did not verify");
  return samples.length / secs;
}

async function rpc<T>(base: string, method: string, params: Record<string, unknown>): Promise<T> {
  const res = await fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { data?: string; message?: string } };
  if (!body.result) throw new Error(`${method}: ${body.error?.data ?? body.error?.message}`);
  return body.result;
}

async function main() {
  log(`bench-tps: ${ACCOUNTS} accounts x ${PER} txs, timeout_commit ${args["timeout-commit"]}`);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => new FastAccount(`bench-account-${i}`));
  const verifyPerSec = ceiling(accounts);
  log(`secp256k1 verification ceiling (node:crypto, one core): ${verifyPerSec.toFixed(0)}/s`);

  const comet: Array<[string, string, string | number | boolean]> = [
    ["mempool", "size", 200000], ["mempool", "max_txs_bytes", 4294967296], ["mempool", "cache_size", 200000],
    ["rpc", "max_open_connections", 2000], ["rpc", "max_request_batch_size", 100], ["rpc", "pprof_laddr", process.env.AROD_BENCH_PPROF ?? ""],
  ];
  const funded = accounts.map((a) => ({ address: a.address, coins: "100000000000uaro" }));
  const node = VALIDATORS > 1
    ? await TestnetNode.create(VALIDATORS, funded, args["timeout-commit"], comet)
    : await LocalNode.create({ funded, timeoutCommit: args["timeout-commit"], maxBlockGas: 10_000_000_000n, comet });
  try {
    await node.start();
    const chainId = node.chainId;
    log("pre-signing...");
    const recipient = accounts[0].address;
    const txs: string[] = [];
    for (let seq = 0; seq < PER; seq++) {
      accounts.forEach((a, n) => {
        txs.push(Buffer.from(a.signedSend({ to: recipient, amount: "1", chainId, accountNumber: BigInt(n + node.firstAccountNumber), sequence: BigInt(seq), gas: 100000n, fee: "2500" })).toString("base64"));
      });
    }
    const startHeight = await node.latestHeight();
    log(`broadcasting ${txs.length} txs (broadcast_tx_sync in JSON-RPC batches of ${BATCH}, ${CONCURRENCY} requests in flight) from height ${startHeight}...`);
    let next = 0;
    let admitted = 0;
    let refused = 0;
    const t0 = performance.now();
    // JSON-RPC batches: BATCH broadcast_tx_sync calls per HTTP request, CONCURRENCY requests in flight
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < txs.length) {
        const chunk = txs.slice(next, next + BATCH);
        next += chunk.length;
        const body = chunk.map((tx, i) => ({ jsonrpc: "2.0", id: i, method: "broadcast_tx_sync", params: { tx } }));
        const res = await fetch(node.rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const reply = (await res.json()) as unknown;
        if (!Array.isArray(reply)) throw new Error(`batch broadcast refused: ${JSON.stringify(reply).slice(0, 300)}`);
        const replies = reply as Array<{ result?: { code: number; log: string }; error?: { data?: string } }>;
        for (const r of replies) {
          if (r.result?.code === 0) admitted++;
          else if (refused++ < 3) log(`refused: ${r.result?.log ?? r.error?.data}`);
        }
      }
    }));
    log(`admitted ${admitted} in ${((performance.now() - t0) / 1000).toFixed(1)}s; waiting for blocks...`);

    // wait until the mempool has drained (a cheap call, so the count does not load the node)
    let idle = 0;
    let lastPending = -1;
    for (;;) {
      const { n_txs } = await rpc<{ n_txs: string }>(node.rpc, "num_unconfirmed_txs", {});
      const pending = Number(n_txs);
      if (pending === 0) break;
      idle = pending === lastPending ? idle + 1 : 0;
      if (idle > 120) throw new Error(`the mempool is stuck at ${pending} txs`);
      lastPending = pending;
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3000)); // the last block commits
    const endHeight = await node.latestHeight();

    // count committed txs from the blocks themselves
    let committed = 0;
    let failed = 0;
    const blocks: Array<{ height: number; time: number; txs: number }> = [];
    for (let h = startHeight + 1; h <= endHeight; h++) {
      const b = await rpc<{ block: { header: { time: string } } }>(node.rpc, "block", { height: String(h) });
      const res = await rpc<{ txs_results: Array<{ code: number }> | null }>(node.rpc, "block_results", { height: String(h) });
      const results = res.txs_results ?? [];
      committed += results.filter((r) => r.code === 0).length;
      failed += results.filter((r) => r.code !== 0).length;
      blocks.push({ height: h, time: Date.parse(b.block.header.time), txs: results.length });
    }
    const withTxs = blocks.filter((b) => b.txs > 0);
    const first = withTxs[0];
    const last = withTxs[withTxs.length - 1];
    const before = blocks[blocks.indexOf(first) - 1] ?? { time: first.time - 1000 };
    const seconds = (last.time - before.time) / 1000;
    const span = blocks.slice(blocks.indexOf(first), blocks.indexOf(last) + 1);
    const meanBlock = seconds / span.length;
    const tps = committed / seconds;
    console.log(`committed txs:        ${committed} (failed in block: ${failed}, refused at CheckTx: ${refused})`);
    console.log(`blocks with txs:      ${withTxs.length} (max ${Math.max(...withTxs.map((b) => b.txs))} txs in one block)`);
    console.log(`mean block time:      ${meanBlock.toFixed(3)} s`);
    console.log(`committed tx/s:       ${tps.toFixed(0)}`);
    console.log(`secp256k1 ceiling:    ${verifyPerSec.toFixed(0)} verifications/s on one core`);
    console.log(`ratio to ceiling:     ${(tps / verifyPerSec).toFixed(3)}`);
  } finally {
    await node.cleanup();
  }
}

await main();
