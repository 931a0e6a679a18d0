// The Cosmos SDK's reference chain, simd (built by scripts/install-simd), one validator
// with CometBFT in the same process, as SDK chains run.
import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../../app/testnet/ports.ts";
import { waitForHeight } from "../../../app/arod/cli/devnet.ts";
import { repoRoot } from "../../../app/testnet/local-node.ts";
import { FastAccount } from "../fast-signer.ts";
import { balanceProbe, editToml, sharedCometConfig, spawnLogged, stopProcess, type BenchChain } from "./bench-chain.ts";

const CHAIN_ID = "simd-bench";
const DENOM = "stake";

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
  private child?: ChildProcess;

  readonly probe;

  private constructor(private readonly home: string, readonly rpc: string, private readonly accounts: FastAccount[]) {
    this.probe = balanceProbe(accounts[accounts.length - 1].address, DENOM);
  }

  static async create(o: { timeoutCommit: string; accounts: number; consensus: { maxBytes: string; maxGas: string } }): Promise<SimdChain> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "aro-bench-simd-"));
    simd(["init", "bench", "--chain-id", CHAIN_ID, "--default-denom", DENOM], home);
    const keyring = ["--keyring-backend", "test"];
    simd(["keys", "add", "validator", ...keyring], home);
    const validator = simd(["keys", "show", "validator", "-a", ...keyring], home).trim();
    const accounts = Array.from({ length: o.accounts }, (_, i) => new FastAccount(`bench-account-${i}`, "cosmos"));

    const genesisFile = path.join(home, "config", "genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8"));
    const funded = [{ address: validator, amount: "1000000000000000" }, ...accounts.map((a) => ({ address: a.address, amount: "100000000000" }))];
    genesis.app_state.auth.accounts = funded.map((f, n) => ({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: f.address, pub_key: null, account_number: String(n), sequence: "0" }));
    genesis.app_state.bank.balances = funded.map((f) => ({ address: f.address, coins: [{ denom: DENOM, amount: f.amount }] }));
    genesis.app_state.bank.supply = [];
    genesis.consensus.params.block.max_bytes = o.consensus.maxBytes;
    genesis.consensus.params.block.max_gas = o.consensus.maxGas;
    fs.writeFileSync(genesisFile, JSON.stringify(genesis));
    simd(["genesis", "gentx", "validator", `100000000000${DENOM}`, "--chain-id", CHAIN_ID, ...keyring], home);
    simd(["genesis", "collect-gentxs"], home);

    const [rpcPort, p2pPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
    editToml(path.join(home, "config", "config.toml"), [
      ["rpc", "laddr", `tcp://127.0.0.1:${rpcPort}`], ["p2p", "laddr", `tcp://127.0.0.1:${p2pPort}`], ...sharedCometConfig(o.timeoutCommit),
    ]);
    editToml(path.join(home, "config", "app.toml"), [
      ["", "minimum-gas-prices", `0${DENOM}`], ["api", "enable", false], ["grpc", "address", `127.0.0.1:${grpcPort}`], ["grpc-web", "enable", false],
    ]);
    return new SimdChain(home, `http://127.0.0.1:${rpcPort}`, accounts);
  }

  async start(): Promise<void> {
    this.child = spawnLogged(simdBinary(), ["start", "--home", this.home], path.join(this.home, "simd.log"));
    await waitForHeight(this.rpc, 2, 120_000).catch((err) => {
      throw new Error(`${err.message}\n${fs.readFileSync(path.join(this.home, "simd.log"), "utf8").slice(-3000)}`);
    });
  }

  processes() {
    const pid = this.child?.pid ? [this.child.pid] : [];
    return { app: pid, consensus: pid };
  }

  async signLoad(perAccount: number): Promise<string[]> {
    const txs: string[] = [];
    const to = this.accounts[0].address;
    for (let sequence = 0n; sequence < BigInt(perAccount); sequence++) {
      this.accounts.forEach((a, i) => {
        const tx = a.signedSend({ to, amount: "1", denom: DENOM, chainId: CHAIN_ID, accountNumber: BigInt(i + 1), sequence, gas: 200000n, fee: "5000" });
        txs.push(Buffer.from(tx).toString("base64"));
      });
    }
    return txs;
  }

  async cleanup(): Promise<void> {
    await stopProcess(this.child);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
