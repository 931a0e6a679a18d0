import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "../../chain/app.ts";
import { parseCoins } from "../../chain/coins.ts";
import { silentLogger } from "../../chain/logger.ts";
import { addGenesisAccounts, addGenesisValidatorFromHome, initHome, readGenesis } from "../../chain/node/init.ts";
import { CommittedStore } from "../../chain/store/committed-store.ts";
import { anteHandler, createModules } from "../../modules/index.ts";
import { FastAccount } from "./fast-signer.ts";

/**
 * The real app (every module, ante, store) driven block by block in this process,
 * without CometBFT: for benchmarks that time FinalizeBlock itself.
 */
export class InProcessChain {
  height = 0n;
  private time = 1_700_000_000n;

  private constructor(readonly app: App, readonly chainId: string, private readonly dir: string, readonly validatorAddress: Uint8Array) {}

  static async create(o: { funded: Array<{ address: string; coins: string }>; editGenesis?: (appState: Record<string, any>) => void }): Promise<InProcessChain> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-inproc-"));
    const chainId = "aro-bench-1";
    initHome(dir, { moniker: "bench", chainId, rpcPort: 1, p2pPort: 2, abciPort: 3 });
    const operator = new FastAccount("in-process-operator").address;
    addGenesisAccounts(dir, [...o.funded, { address: operator, coins: "1000000000000uaro" }].map((f) => ({ address: f.address, coins: parseCoins(f.coins) })));
    addGenesisValidatorFromHome(dir, { operator, selfBond: 100_000_000_000n, moniker: "bench" });
    const genesis = readGenesis(dir);
    o.editGenesis?.(genesis.app_state);
    const key = JSON.parse(fs.readFileSync(path.join(dir, "config", "priv_validator_key.json"), "utf8"));
    const consensusKey = Buffer.from(key.pub_key.value, "base64");
    const store = await CommittedStore.open(path.join(dir, "data", "application.db"));
    const app = new App({ store, modules: createModules(), ante: anteHandler, log: silentLogger });
    await app.initChain({
      chainId, time: { seconds: 1_700_000_000n, nanos: 0 }, initialHeight: 1n, appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
      consensusParams: { block: { maxBytes: 1n << 30n, maxGas: -1n } }, validators: [],
    } as never);
    return new InProcessChain(app, chainId, dir, new Uint8Array(createHash("sha256").update(consensusKey).digest().subarray(0, 20)));
  }

  /** FinalizeBlock + Commit with these txs; returns the tx results and FinalizeBlock's wall time. */
  async block(txs: Uint8Array[], hash?: Uint8Array): Promise<{ ms: number; results: Array<{ code: number; log: string }> }> {
    this.height++;
    this.time += 1n;
    const t0 = performance.now();
    const res = await this.app.finalizeBlock({
      txs, height: this.height, time: { seconds: this.time, nanos: 0 }, hash: hash ?? createHash("sha256").update(`block ${this.height}`).digest(),
      decidedLastCommit: { round: 0, votes: this.height > 1n ? [{ validator: { address: this.validatorAddress, power: 100000n }, blockIdFlag: 2 }] : [] },
      misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: this.validatorAddress,
    } as never);
    const ms = performance.now() - t0;
    await this.app.commit();
    return { ms, results: (res.txResults ?? []).map((r) => ({ code: r.code, log: r.log })) };
  }

  async close(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
