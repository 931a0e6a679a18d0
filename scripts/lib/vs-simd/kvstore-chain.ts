// CometBFT with its built-in kvstore app, in process: the most any app on this CometBFT
// can commit under the same load (the app does next to nothing).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { cometbftBinary, runCometbft } from "../../../app/arod/node/cometbft.ts";
import { freePort } from "../../../app/testnet/ports.ts";
import { waitForHeight } from "../../../app/arod/cli/devnet.ts";
import { editToml, sharedCometConfig, spawnLogged, stopProcess, type BenchChain } from "./bench-chain.ts";

export class KvstoreChain implements BenchChain {
  readonly name = "kvstore";
  readonly probe = { path: "", data: Buffer.from("account-0-0").toString("hex") };
  private child?: ChildProcess;

  private constructor(private readonly home: string, readonly rpc: string, private readonly txBytes: number, private readonly accounts: number) {}

  /** txBytes: the size of the other chains' txs, so every chain carries the same bytes. */
  static async create(o: { timeoutCommit: string; accounts: number; txBytes: number; consensus: { maxBytes: string; maxGas: string } }): Promise<KvstoreChain> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "aro-bench-kvstore-"));
    runCometbft(["init", "--home", home]);
    const [rpcPort, p2pPort] = [await freePort(), await freePort()];
    editToml(path.join(home, "config", "config.toml"), [
      ["", "proxy_app", "kvstore"], ["rpc", "laddr", `tcp://127.0.0.1:${rpcPort}`], ["p2p", "laddr", `tcp://127.0.0.1:${p2pPort}`],
      ...sharedCometConfig(o.timeoutCommit),
    ]);
    const genesisFile = path.join(home, "config", "genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8"));
    genesis.consensus_params.block.max_bytes = o.consensus.maxBytes;
    genesis.consensus_params.block.max_gas = o.consensus.maxGas;
    fs.writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
    return new KvstoreChain(home, `http://127.0.0.1:${rpcPort}`, o.txBytes, o.accounts);
  }

  async start(): Promise<void> {
    this.child = spawnLogged(cometbftBinary(), ["start", "--home", this.home], path.join(this.home, "cometbft.log"));
    await waitForHeight(this.rpc, 2, 60_000);
  }

  processes() {
    const pid = this.child?.pid ? [this.child.pid] : [];
    return { app: pid, consensus: pid };
  }

  /** "key=value" txs (what kvstore accepts), padded to the other chains' tx size. */
  async signLoad(perAccount: number): Promise<string[]> {
    const txs: string[] = [];
    for (let round = 0; round < perAccount; round++) {
      for (let a = 0; a < this.accounts; a++) {
        const head = `account-${a}-${round}=`;
        txs.push(Buffer.from(head + "v".repeat(Math.max(1, this.txBytes - head.length))).toString("base64"));
      }
    }
    return txs;
  }

  async cleanup(): Promise<void> {
    await stopProcess(this.child);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
