// CometBFT with its built-in kvstore app, in process: the most any app on this CometBFT
// can commit under the same load (the app does next to nothing).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { cometbftBinary, runCometbft } from "../../../app/arod/node/cometbft.ts";
import { waitForHeight } from "../../../app/arod/cli/devnet.ts";
import { editToml, sharedCometConfig, spawnLogged, stopProcess, type BenchChain } from "./bench-chain.ts";
import { wireNetwork } from "./comet-network.ts";
import { processesUnder } from "./processes.ts";

export class KvstoreChain implements BenchChain {
  readonly name = "kvstore";
  readonly probe = { path: "", data: Buffer.from("account-0-0").toString("hex") };
  private children: ChildProcess[] = [];

  private constructor(readonly root: string, private readonly homes: string[], private readonly rpcs: string[], private readonly txBytes: number, private readonly accounts: number) {}

  get rpc(): string {
    return this.rpcs[0];
  }

  /** txBytes: the size of the other chains' txs, so every chain carries the same bytes. */
  static async create(o: { validators: number; timeoutCommit: string; accounts: number; txBytes: number; consensus: { maxBytes: string; maxGas: string } }): Promise<KvstoreChain> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "aro-bench-kvstore-"));
    const homes = Array.from({ length: o.validators }, (_, i) => path.join(root, `node${i}`));
    for (const home of homes) runCometbft(["init", "--home", home]);
    const genesisOf = (home: string) => path.join(home, "config", "genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisOf(homes[0]), "utf8"));
    genesis.validators = homes.map((home, i) => {
      const key = JSON.parse(fs.readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8"));
      return { address: key.address, pub_key: key.pub_key, power: "10", name: `node${i}` };
    });
    genesis.consensus_params.block.max_bytes = o.consensus.maxBytes;
    genesis.consensus_params.block.max_gas = o.consensus.maxGas;
    for (const home of homes) fs.writeFileSync(genesisOf(home), JSON.stringify(genesis, null, 2));
    const rpcs = await wireNetwork(homes, sharedCometConfig(o.timeoutCommit));
    for (const home of homes) editToml(path.join(home, "config", "config.toml"), [["", "proxy_app", "kvstore"]]);
    return new KvstoreChain(root, homes, rpcs, o.txBytes, o.accounts);
  }

  async start(): Promise<void> {
    this.children = this.homes.map((home) => spawnLogged(cometbftBinary(), ["start", "--home", home], path.join(home, "cometbft.log")));
    await Promise.all(this.rpcs.map((rpc) => waitForHeight(rpc, 2, 120_000)));
  }

  /** the kvstore app runs inside cometbft */
  processes() {
    const { consensus } = processesUnder(this.root);
    return { app: consensus, consensus };
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
    await Promise.all(this.children.map((c) => stopProcess(c)));
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
