// Committed tx/s of arod + cometbft (one validator, 127.0.0.1) and its ratio to the
// secp256k1 verification ceiling measured in the same run on one core.
//   bash scripts/bench-tps [--accounts 800] [--txs-per-account 30] [--batch 50] [--concurrency 8] [--timeout-commit 1s]
import { parseArgs } from "node:util";
import { verifySecp256k1 } from "../chain/crypto/secp256k1.ts";
import { LocalNode } from "../app/testnet/local-node.ts";
import { TestnetNode } from "./lib/testnet-node.ts";
import { FastAccount } from "./lib/fast-signer.ts";
import { blockStats, broadcastAll, throughput } from "./lib/broadcast.ts";

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
    const { refused } = await broadcastAll(node.rpc, txs, BATCH, CONCURRENCY);
    const endHeight = await node.latestHeight();
    // count committed txs from the blocks themselves
    const t = throughput(await blockStats(node.rpc, startHeight + 1, endHeight));
    console.log(`committed txs:        ${t.committed} (failed in block: ${t.failed}, refused at CheckTx: ${refused})`);
    console.log(`blocks with txs:      ${t.blocksWithTxs} (max ${t.maxInBlock} txs in one block)`);
    console.log(`mean block time:      ${t.meanBlock.toFixed(3)} s`);
    console.log(`committed tx/s:       ${t.tps.toFixed(0)}`);
    console.log(`secp256k1 ceiling:    ${verifyPerSec.toFixed(0)} verifications/s on one core`);
    console.log(`ratio to ceiling:     ${(t.tps / verifyPerSec).toFixed(3)}`);
  } finally {
    await node.cleanup();
  }
}

await main();
