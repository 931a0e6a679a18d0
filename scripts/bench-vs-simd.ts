// arod against the Cosmos SDK's reference chain simd and against CometBFT's own kvstore app
// (the engine's ceiling), on the same machine, the same CometBFT settings and one load
// generator; the chains run one after another, their order rotating each round.
//   bash scripts/bench-vs-simd [--accounts 800] [--txs-per-account 25] [--batch 50] [--concurrency 8]
//                              [--rounds 3] [--timeout-commit 1s] [--chains kvstore,simd,arod] [--validators 1]
import { parseArgs } from "node:util";
import { blockStats, broadcastAll, throughput, type BlockStat } from "./lib/broadcast.ts";
import { cpuSeconds, type BenchChain, type TomlEdit } from "./lib/vs-simd/bench-chain.ts";
import { ArodChain } from "./lib/vs-simd/arod-chain.ts";
import { SimdChain } from "./lib/vs-simd/simd-chain.ts";
import { KvstoreChain } from "./lib/vs-simd/kvstore-chain.ts";
import { QueryProber } from "./lib/vs-simd/query-prober.ts";
import { printSummary, type RunResult } from "./lib/vs-simd/report.ts";

const { values: args } = parseArgs({
  options: {
    accounts: { type: "string", default: "800" },
    "txs-per-account": { type: "string", default: "25" },
    batch: { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    "timeout-commit": { type: "string", default: "1s" },
    chains: { type: "string", default: "kvstore,simd,arod" },
    validators: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  process.stdout.write("usage: bash scripts/bench-vs-simd [--accounts N] [--txs-per-account N] [--batch N] [--concurrency N] [--rounds N] [--timeout-commit 1s] [--chains kvstore,simd,arod] [--validators N]\n");
  process.exit(0);
}
const ACCOUNTS = Number(args.accounts);
const PER = Number(args["txs-per-account"]);
const BATCH = Number(args.batch);
// Sequences must arrive in order: never two rounds of the same accounts in flight.
const CONCURRENCY = Math.max(1, Math.min(Number(args.concurrency), Math.floor(ACCOUNTS / BATCH) - 1));
const ROUNDS = Number(args.rounds);
const TIMEOUT_COMMIT = args["timeout-commit"]!;
const VALIDATORS = Number(args.validators);
const CHAINS = args.chains!.split(",").map((c) => c.trim());
for (const [name, v] of Object.entries({ accounts: ACCOUNTS, "txs-per-account": PER, batch: BATCH, rounds: ROUNDS, validators: VALIDATORS })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
for (const c of CHAINS) if (!["kvstore", "simd", "arod"].includes(c)) throw new Error(`--chains: unknown chain ${c} (kvstore, simd, arod)`);
const log = (s: string) => process.stderr.write(s + "\n");

/** The block limits all chains share are arod's genesis ones (max_gas as bench-tps sets it). */
const MAX_BLOCK_GAS = 10_000_000_000n;
let limits: { maxBytes: string; maxGas: string } | undefined;
let txBytes = 0;

async function createChain(name: string): Promise<BenchChain> {
  // BENCH_TX_INDEX=null turns CometBFT's tx indexer off on every chain (default kv);
  // BENCH_PPROF=127.0.0.1:6061 opens arod's CometBFT to `go tool pprof` (profiling the engine's side)
  const pprof: TomlEdit[] = process.env.BENCH_PPROF ? [["rpc", "pprof_laddr", process.env.BENCH_PPROF]] : [];
  if (name === "arod") return ArodChain.create({ validators: VALIDATORS, timeoutCommit: TIMEOUT_COMMIT, accounts: ACCOUNTS, maxBlockGas: MAX_BLOCK_GAS, comet: pprof });
  if (!limits) throw new Error("the block limits come from arod's genesis: run arod first");
  if (name === "simd") return SimdChain.create({ validators: VALIDATORS, timeoutCommit: TIMEOUT_COMMIT, accounts: ACCOUNTS, consensus: limits });
  return KvstoreChain.create({ validators: VALIDATORS, timeoutCommit: TIMEOUT_COMMIT, accounts: ACCOUNTS, txBytes, consensus: limits });
}

async function latestHeight(rpc: string): Promise<number> {
  const r = (await (await fetch(`${rpc}/status`, { signal: AbortSignal.timeout(10_000) })).json()) as any;
  return Number(r.result.sync_info.latest_block_height);
}

async function waitForHeight(rpc: string, h: number): Promise<void> {
  while ((await latestHeight(rpc)) < h) await new Promise((r) => setTimeout(r, 100));
}

/** The blocks up to the one where half the committed txs are in, and the rest (each with the block before it, for timing). */
function splitByTxs(blocks: BlockStat[]): [BlockStat[], BlockStat[]] {
  const total = blocks.reduce((n, b) => n + b.ok, 0);
  let seen = 0;
  const mid = blocks.findIndex((b) => (seen += b.ok) >= total / 2);
  return [blocks.slice(0, mid + 1), blocks.slice(mid)];
}

async function runOne(name: string, round: number): Promise<RunResult> {
  const chain = await createChain(name);
  try {
    await chain.start();
    if (chain instanceof ArodChain && !limits) limits = chain.consensusLimits();
    const txs = await chain.signLoad(PER);
    if (!txBytes) txBytes = Buffer.from(txs[0], "base64").length;
    // idle block time: 6 empty blocks before the load
    const idleFrom = await latestHeight(chain.rpc);
    await waitForHeight(chain.rpc, idleFrom + 6);
    const idle = await blockStats(chain.rpc, idleFrom + 1, idleFrom + 6);
    const idleBlock = (idle[idle.length - 1].time - idle[0].time) / 1000 / (idle.length - 1);

    const pids = chain.processes();
    const cpu = () => ({ app: pids.app.reduce((s, p) => s + cpuSeconds(p), 0), consensus: pids.consensus.reduce((s, p) => s + cpuSeconds(p), 0) });
    const prober = new QueryProber(chain.rpc, chain.probe);
    const startHeight = await latestHeight(chain.rpc);
    const cpu0 = cpu();
    const load0 = process.cpuUsage();
    log(`[round ${round}] ${name}: ${txs.length} txs of ${txBytes} bytes from height ${startHeight}...`);
    prober.start();
    const { refused } = await broadcastAll(chain.rpc, txs, BATCH, CONCURRENCY);
    const queries = await prober.stop();
    const cpu1 = cpu();
    const load1 = process.cpuUsage(load0);
    const endHeight = await latestHeight(chain.rpc);
    const blocks = await blockStats(chain.rpc, startHeight + 1, endHeight);
    const t = throughput(blocks);
    // the first and the second half of the txs: a decline over the run shows here
    const halves = splitByTxs(blocks).map((part) => throughput(part).tps);
    const sameProcess = pids.app.join() === pids.consensus.join();
    const result: RunResult = {
      firstHalfTps: halves[0], secondHalfTps: halves[1],
      chain: name, round, committed: t.committed, failed: t.failed, refused, tps: t.tps, meanBlock: t.meanBlock, idleBlock, maxInBlock: t.maxInBlock,
      appCpuMs: ((cpu1.app - cpu0.app) * 1000) / t.committed,
      consensusCpuMs: sameProcess ? 0 : ((cpu1.consensus - cpu0.consensus) * 1000) / t.committed,
      loadCpuMs: (load1.user + load1.system) / 1000 / t.committed,
      sameProcess, queryP50Ms: queries.p50, queryP99Ms: queries.p99, queries: queries.count,
    };
    log(`[round ${round}] ${name}: ${t.tps.toFixed(0)} committed tx/s, block ${t.meanBlock.toFixed(2)} s (idle ${idleBlock.toFixed(2)} s), query p99 ${queries.p99.toFixed(1)} ms`);
    return result;
  } finally {
    await chain.cleanup();
  }
}

async function main() {
  log(`bench-vs-simd: ${VALIDATORS} validator(s), ${ACCOUNTS} accounts x ${PER} txs, batches of ${BATCH}, ${CONCURRENCY} in flight, timeout_commit ${TIMEOUT_COMMIT}, ${ROUNDS} rounds of ${CHAINS.join(", ")}`);
  const results: RunResult[] = [];
  // arod first once: its genesis sets the block limits (and tx size) every chain gets
  const order = ["arod", ...CHAINS.filter((c) => c !== "arod")];
  for (let round = 1; round <= ROUNDS; round++) {
    const rotated = round === 1 ? order : [...CHAINS.slice((round - 1) % CHAINS.length), ...CHAINS.slice(0, (round - 1) % CHAINS.length)];
    for (const name of rotated.filter((c) => CHAINS.includes(c) || !limits)) results.push(await runOne(name, round));
  }
  printSummary(results.filter((r) => CHAINS.includes(r.chain)), { accounts: ACCOUNTS, per: PER, batch: BATCH, concurrency: CONCURRENCY, timeoutCommit: TIMEOUT_COMMIT, validators: VALIDATORS });
}

await main();
