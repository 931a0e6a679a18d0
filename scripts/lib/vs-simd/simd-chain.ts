// The Cosmos SDK's reference chain, simd (built by scripts/install-simd), with CometBFT in
// the same process as SDK chains run it; one or more validators on 127.0.0.1.
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../../app/testnet/ports.ts";
import { waitForHeight } from "../../../app/arod/cli/devnet.ts";
import { repoRoot } from "../../../app/testnet/local-node.ts";
import { FastAccount } from "../fast-signer.ts";
import { balanceProbe, editToml, sharedCometConfig, spawnLogged, stopProcess, type BenchChain } from "./bench-chain.ts";
import { wireNetwork } from "./comet-network.ts";
import { processesUnder } from "./processes.ts";

const CHAIN_ID = "simd-bench";
const DENOM = "stake";
const KEYRING = ["--keyring-backend", "test"];

function simdBinary(): string {
  const bin = path.join(repoRoot, ".bin", "simd");
  if (!fs.existsSync(bin)) throw new Error("simd is not built: run `bash scripts/install-simd` first");
  return bin;
}

function simd(args: string[], home: string): string {
  const r = spawnSync(simdBinary(), [...args, "--home", home], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`simd ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout + r.stderr;
}

export class SimdChain implements BenchChain {
  readonly name = "simd";
  readonly probe;
  private children: ChildProcess[] = [];

  private constructor(readonly root: string, private readonly homes: string[], private readonly rpcs: string[], private readonly accounts: FastAccount[]) {
    this.probe = balanceProbe(accounts[accounts.length - 1].address, DENOM);
  }

  get rpc(): string {
    return this.rpcs[0];
  }

  static async create(o: { validators: number; timeoutCommit: string; accounts: number; consensus: { maxBytes: string; maxGas: string } }): Promise<SimdChain> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "aro-bench-simd-"));
    const homes = Array.from({ length: o.validators }, (_, i) => path.join(root, `node${i}`));
    const validators = homes.map((home, i) => {
      simd(["init", `node${i}`, "--chain-id", CHAIN_ID, "--default-denom", DENOM], home);
      simd(["keys", "add", "validator", ...KEYRING], home);
      return simd(["keys", "show", "validator", "-a", ...KEYRING], home).trim();
    });
    // the bench accounts follow the validators' (account numbers in genesis order)
    const accounts = Array.from({ length: o.accounts }, (_, i) => new FastAccount(`bench-account-${i}`, "cosmos"));
    const genesisOf = (home: string) => path.join(home, "config", "genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisOf(homes[0]), "utf8"));
    const funded = [...validators.map((address) => ({ address, amount: "1000000000000000" })), ...accounts.map((a) => ({ address: a.address, amount: "100000000000" }))];
    genesis.app_state.auth.accounts = funded.map((f, n) => ({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: f.address, pub_key: null, account_number: String(n), sequence: "0" }));
    genesis.app_state.bank.balances = funded.map((f) => ({ address: f.address, coins: [{ denom: DENOM, amount: f.amount }] }));
    genesis.app_state.bank.supply = [];
    genesis.consensus.params.block.max_bytes = o.consensus.maxBytes;
    genesis.consensus.params.block.max_gas = o.consensus.maxGas;
    const gentxDir = path.join(homes[0], "config", "gentx");
    fs.mkdirSync(gentxDir, { recursive: true });
    homes.forEach((home, i) => {
      fs.writeFileSync(genesisOf(home), JSON.stringify(genesis));
      const out = path.join(gentxDir, `gentx-node${i}.json`);
      simd(["genesis", "gentx", "validator", `100000000000${DENOM}`, "--chain-id", CHAIN_ID, "--output-document", out, ...KEYRING], home);
    });
    simd(["genesis", "collect-gentxs"], homes[0]);
    const final = fs.readFileSync(genesisOf(homes[0]));
    for (const home of homes.slice(1)) fs.writeFileSync(genesisOf(home), final);

    const rpcs = await wireNetwork(homes, sharedCometConfig(o.timeoutCommit));
    for (const home of homes) {
      editToml(path.join(home, "config", "app.toml"), [
        ["", "minimum-gas-prices", `0${DENOM}`], ["api", "enable", false], ["grpc", "address", `127.0.0.1:${await freePort()}`], ["grpc-web", "enable", false],
      ]);
    }
    return new SimdChain(root, homes, rpcs, accounts);
  }

  private firstAccountNumber(): number {
    return this.homes.length;
  }

  async start(): Promise<void> {
    this.children = this.homes.map((home) => spawnLogged(simdBinary(), ["start", "--home", home], path.join(home, "simd.log")));
    await Promise.all(this.rpcs.map((rpc) => waitForHeight(rpc, 2, 120_000))).catch((err) => {
      throw new Error(`${err.message}\n${fs.readFileSync(path.join(this.homes[0], "simd.log"), "utf8").slice(-3000)}`);
    });
  }

  processes() {
    return processesUnder(this.root);
  }

  async signLoad(perAccount: number): Promise<string[]> {
    const txs: string[] = [];
    const to = this.accounts[0].address;
    const first = this.firstAccountNumber();
    for (let sequence = 0n; sequence < BigInt(perAccount); sequence++) {
      this.accounts.forEach((a, i) => {
        const tx = a.signedSend({ to, amount: "1", denom: DENOM, chainId: CHAIN_ID, accountNumber: BigInt(i + first), sequence, gas: 200000n, fee: "5000" });
        txs.push(Buffer.from(tx).toString("base64"));
      });
    }
    return txs;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.children.map((c) => stopProcess(c)));
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
