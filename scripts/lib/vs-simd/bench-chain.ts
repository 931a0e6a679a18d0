// What bench-vs-simd needs of each chain it runs: start, its RPC, the processes whose CPU
// it counts, the txs of the common load, and cleanup.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { setTomlValue } from "../../../app/common/toml-edit.ts";

export type TomlEdit = [section: string, key: string, value: string | number | boolean];

export interface BenchChain {
  readonly name: string;
  readonly rpc: string;
  /** the folder every process of the chain runs from */
  readonly root: string;
  /** an abci_query this chain answers from its state, timed while loaded */
  readonly probe: { path: string; data: string };
  start(): Promise<void>;
  /** pids whose CPU time is the app's and the consensus engine's (the same pid for an in-process app) */
  processes(): { app: number[]; consensus: number[] };
  /** The common load in this chain's format: `perAccount` txs of every account, round by round. */
  signLoad(perAccount: number): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Settings every chain in the comparison shares, in CometBFT's config.toml. */
export function sharedCometConfig(timeoutCommit: string, txIndex = process.env.BENCH_TX_INDEX ?? "kv"): TomlEdit[] {
  return [
    ["consensus", "timeout_commit", timeoutCommit], ["tx_index", "indexer", txIndex],
    ["mempool", "size", 200000], ["mempool", "max_txs_bytes", 4294967296], ["mempool", "cache_size", 200000],
    ["rpc", "max_open_connections", 2000], ["rpc", "max_request_batch_size", 100], ["rpc", "pprof_laddr", ""],
  ];
}

export function editToml(file: string, edits: readonly TomlEdit[]): void {
  let text = fs.readFileSync(file, "utf8");
  for (const [section, key, value] of edits) text = setTomlValue(text, section, key, value);
  fs.writeFileSync(file, text);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** A child process with its output kept in a log file; stopped by pid. */
export function spawnLogged(bin: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const child = spawn(bin, args, { stdio: ["ignore", out, out], env });
  fs.closeSync(out);
  return child;
}

export async function stopProcess(child: ChildProcess | undefined, timeoutMs = 20_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** abci_query of an account's balance in the bank module (the same query on arod and simd). */
export function balanceProbe(address: string, denom: string): { path: string; data: string } {
  return { path: "/cosmos.bank.v1beta1.Query/Balance", data: Buffer.from(QueryBalanceRequest.encode({ address, denom }).finish()).toString("hex") };
}
