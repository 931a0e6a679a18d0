// How fast `arod` starts: the median wall time of N runs of `arod --help`, `arod version`,
// `arod query bank balances` against a LocalNode and `aro-agent --help`, from the compiled CLI (dist/, the default once
// scripts/build-cli ran) and from the TypeScript sources through tsx (ARO_CLI_SOURCES=1).
//   bash scripts/bench-cli-start [--runs 7] [--no-sources]
import { spawnSync } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { LocalNode, arodBin } from "../app/testnet/local-node.ts";
import { agentBin } from "../app/testnet/agents.ts";
import { bundleState } from "../bin/cli-bundle.js";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "7" }, "no-sources": { type: "boolean", default: false } } });
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) throw new Error("--runs must be from 1 to 100");

/** Median wall time (ms) of `<bin> <argv>` over RUNS runs, after one warm-up run; fails on a non-zero exit. */
function median(bin: string, argv: string[], env: Record<string, string> = {}): number {
  if (env.ARO_CLI_SOURCES) return medianOnce(bin, argv, env);
  // The compiled CLI runs only while dist/ is the sources' build: rebuild and measure again if they changed meanwhile.
  for (let attempt = 0; attempt < 3; attempt++) {
    const built = spawnSync("bash", ["scripts/build-cli"], { encoding: "utf8" });
    if (built.status !== 0) throw new Error(`scripts/build-cli failed: ${built.stderr}`);
    const ms = medianOnce(bin, argv, env);
    if (bundleState().state === "fresh") return ms;
  }
  throw new Error("the sources kept changing during the measurement: dist/ never stayed fresh");
}

function medianOnce(bin: string, argv: string[], env: Record<string, string>): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...argv], { encoding: "utf8", env: { ...process.env, ...env } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${bin} ${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  // production behaviour (no invariant checks every block) and 1 s blocks, so the node answers as a real one would
  const node = await LocalNode.create({ invCheckPeriod: 0, timeoutCommit: "1s" });
  try {
    await node.start();
    const commands: Array<[string, string, string[]]> = [
      ["arod --help", arodBin, ["--help"]],
      ["arod version", arodBin, ["version"]],
      ["arod query bank balances", arodBin, ["query", "bank", "balances", node.operator.address, "--node", node.rpc]],
      ["aro-agent --help", agentBin, ["--help"]],
    ];
    const bare = (() => {
      const times: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const t0 = performance.now();
        spawnSync(process.execPath, ["-e", "0"]);
        if (i > 0) times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    })();
    console.log(`median of ${RUNS} runs, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}; bare \`node -e 0\`: ${bare.toFixed(0)} ms`);
    const rpcTimes: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      await fetch(`${node.rpc}/abci_query?path=%22/cosmos.bank.v1beta1.Query/AllBalances%22`);
      if (i > 0) rpcTimes.push(performance.now() - t0);
    }
    console.log(`the node answers an abci_query in ${rpcTimes.sort((a, b) => a - b)[Math.floor(RUNS / 2)].toFixed(0)} ms (median, from a warm process)`);
    console.log(`${"command".padEnd(28)} ${"dist/ (compiled)".padStart(18)} ${args["no-sources"] ? "" : "sources (tsx)".padStart(16)}`);
    for (const [name, bin, argv] of commands) {
      const compiled = median(bin, argv);
      const sources = args["no-sources"] ? undefined : median(bin, argv, { ARO_CLI_SOURCES: "1" });
      console.log(`${name.padEnd(28)} ${`${compiled.toFixed(0)} ms`.padStart(18)} ${sources === undefined ? "" : `${sources.toFixed(0)} ms`.padStart(16)}`);
    }
  } finally {
    await node.stop();
  }
}

await main();
