import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { addGenesisAccount, addGenesisAccounts, addGenesisValidatorFromHome, initHome, readGenesis, writeGenesis } from "../arod/node/init.ts";
import { parseCoins } from "../../chain/coins.ts";
import { waitForHeight } from "../arod/cli/devnet.ts";
import { nodePorts } from "./ports.ts";
import { setTomlValue } from "../common/toml-edit.ts";
import { homePaths, readAppConfig } from "../arod/node/home.ts";
import { repoRoot } from "../common/repo-root.ts";

export { repoRoot };
export const arodBin = path.join(repoRoot, "bin", "arod.js");
export const CHAIN_ID = "aro-test-1";
/** The validator operator of every LocalNode: funded with this much uaro, self-bonding a tenth. */
export const VALIDATOR_FUNDS = 1_000_000_000_000n;
export const VALIDATOR_SELF_BOND = 100_000_000_000n;

export interface Funded {
  readonly wallet: DirectSecp256k1HdWallet;
  readonly address: string;
  readonly mnemonic: string;
}

export async function newAccount(): Promise<Funded> {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: "aro" });
  const [a] = await wallet.getAccounts();
  return { wallet, address: a.address, mnemonic: wallet.mnemonic };
}

/** A real single-validator chain on 127.0.0.1: `arod start` (which runs cometbft) as a child process. Used by tests and benchmarks. */
export class LocalNode {
  arod?: ChildProcess;
  private exited?: Promise<void>;
  output = "";

  private constructor(readonly home: string, readonly rpc: string, readonly ownsHome: boolean, readonly operator: Funded) {}

  static async create(o: {
    funded?: Array<{ address: string; coins: string }>;
    timeoutCommit?: string;
    maxBlockGas?: bigint;
    /** app.toml overrides: [key, value], a section's key as "section.key" (e.g. ["pruning", "custom"], ["state-sync.snapshot-interval", 10]) */
    app?: Array<[string, string | number | boolean]>;
    /** config.toml overrides: [section, key, value] */
    comet?: Array<[string, string, string | number | boolean]>;
    /** Last changes to genesis.json before the chain starts (e.g. short unbonding time). */
    editGenesis?: (genesis: Record<string, any>) => void;
    /** Check invariants every N blocks (tests: 1, the default; benchmarks: 0 for production behaviour). */
    invCheckPeriod?: number;
  } = {}): Promise<LocalNode> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "arod-node-"));
    const { rpc: rpcPort, p2p: p2pPort, abci: abciPort, api: apiPort, grpc: grpcPort, metrics: metricsPort, console: consolePort } = await nodePorts();
    initHome(home, { moniker: "test", chainId: CHAIN_ID, rpcPort, p2pPort, abciPort, apiPort, grpcPort, metricsPort, consolePort, timeoutCommit: o.timeoutCommit ?? "200ms", maxBlockGas: o.maxBlockGas });
    addGenesisAccounts(home, (o.funded ?? []).map((f) => ({ address: f.address, coins: parseCoins(f.coins) })));
    const operator = await newAccount();
    addGenesisAccount(home, operator.address, parseCoins(`${VALIDATOR_FUNDS}uaro`));
    addGenesisValidatorFromHome(home, { operator: operator.address, selfBond: VALIDATOR_SELF_BOND, moniker: "test" });
    if (o.editGenesis) {
      const genesis = readGenesis(home);
      o.editGenesis(genesis);
      writeGenesis(home, genesis);
    }
    const cfgPath = path.join(home, "config", "config.toml");
    let cfg = fs.readFileSync(cfgPath, "utf8");
    for (const [section, key, value] of o.comet ?? []) cfg = setTomlValue(cfg, section, key, value);
    fs.writeFileSync(cfgPath, cfg);
    // Every test chain checks all invariants after every block and halts if one breaks.
    const appToml = path.join(home, "config", "app.toml");
    let appCfg = fs.readFileSync(appToml, "utf8").replace("inv-check-period = 0", `inv-check-period = ${o.invCheckPeriod ?? 1}`);
    for (const [key, value] of o.app ?? []) {
      const dot = key.lastIndexOf(".");
      appCfg = setTomlValue(appCfg, dot > 0 ? key.slice(0, dot) : "", key.slice(dot + 1), value);
    }
    fs.writeFileSync(appToml, appCfg);
    return new LocalNode(home, `http://127.0.0.1:${rpcPort}`, true, operator);
  }

  /** Starts `arod start --home` (with `args`, e.g. ["--log_format", "plain"]) and waits for the first block after `minHeight`. */
  async start(minHeight = 1, timeoutMs = 60_000, args: readonly string[] = []): Promise<void> {
    // AROD_NODE_ARGS: extra node flags for the arod process (e.g. --cpu-prof when profiling a benchmark)
    const nodeArgs = (process.env.AROD_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, arodBin, "start", "--home", this.home, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    this.arod = child;
    child.stdout!.on("data", (d) => (this.output += d));
    child.stderr!.on("data", (d) => (this.output += d));
    this.exited = new Promise((r) => child.once("exit", () => r()));
    await waitForHeight(this.rpc, minHeight, timeoutMs).catch((err) => {
      throw new Error(`${err.message}\n--- arod output ---\n${this.output.slice(-3000)}\n--- cometbft log ---\n${this.cometLog().slice(-3000)}`);
    });
  }

  /** The REST gateway's base URL (app.toml [api] address). */
  get api(): string {
    return readAppConfig(this.home).servers.api.address.replace(/^tcp:\/\//, "http://");
  }

  /** The web console's base URL (app.toml [console] address). */
  get console(): string {
    return readAppConfig(this.home).servers.console.address.replace(/^tcp:\/\//, "http://");
  }

  readonly chainId = CHAIN_ID;
  /** Account number of the first `funded` account (they come first in genesis). */
  readonly firstAccountNumber = 0;

  cometLog(): string {
    const f = path.join(this.home, "cometbft.log");
    return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
  }

  /** pid of the cometbft process that arod supervises (arod writes it to <home>/cometbft.pid). */
  cometbftPid(): number | undefined {
    const file = homePaths(this.home).cometPidFile;
    return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim()) || undefined : undefined;
  }

  async waitExit(timeoutMs = 20_000): Promise<void> {
    if (!this.exited) return;
    await Promise.race([this.exited, new Promise((_, rej) => setTimeout(() => rej(new Error("arod did not exit")), timeoutMs))]);
  }

  /** Graceful stop (SIGTERM): arod stops cometbft and exits. */
  async stop(): Promise<void> {
    if (this.arod && this.arod.exitCode === null && this.arod.signalCode === null) {
      this.arod.kill("SIGTERM");
      await this.waitExit();
    }
  }

  async latestHeight(): Promise<number> {
    const r = (await (await fetch(`${this.rpc}/status`, { signal: AbortSignal.timeout(10_000) })).json()) as any;
    return Number(r.result.sync_info.latest_block_height);
  }

  async cleanup(): Promise<void> {
    const comet = this.arod?.pid ? safe(() => this.cometbftPid()) : undefined;
    await this.stop().catch(() => this.arod?.kill("SIGKILL"));
    if (comet) safe(() => process.kill(comet, "SIGKILL"));
    if (this.ownsHome) fs.rmSync(this.home, { recursive: true, force: true });
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
