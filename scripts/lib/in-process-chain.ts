import { createHash, createPrivateKey, sign, type KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "../../chain/app.ts";
import { voteExtensionSignBytes } from "../../chain/beacon.ts";
import { parseCoins } from "../../chain/coins.ts";
import { silentLogger } from "../../chain/logger.ts";
import { addGenesisAccounts, addGenesisValidatorFromHome, initHome, readGenesis } from "../../app/arod/node/init.ts";
import { CommittedStore } from "../../chain/store/committed-store.ts";
import type { StoreOptions } from "../../chain/store/state-db.ts";
import { anteHandler, consensusKeyOf, createModules } from "../../modules/index.ts";
import { FastAccount } from "./fast-signer.ts";

/**
 * The real app (every module, ante, store) driven block by block in this process,
 * without CometBFT: for benchmarks that time FinalizeBlock itself. With `voteExtensions`,
 * each block goes through PrepareProposal and ProcessProposal too, its one validator
 * signing vote extensions with its real consensus key as CometBFT would.
 */
export class InProcessChain {
  height = 0n;
  private time = 1_700_000_000n;

  private constructor(
    readonly app: App, readonly chainId: string, private readonly dir: string, readonly validatorAddress: Uint8Array,
    private readonly signer?: KeyObject,
  ) {}

  static async create(o: {
    funded: Array<{ address: string; coins: string }>; editGenesis?: (appState: Record<string, any>) => void; voteExtensions?: boolean; store?: StoreOptions;
  }): Promise<InProcessChain> {
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
    const store = await CommittedStore.open(path.join(dir, "data", "application.db"), o.store);
    const app = new App({ store, modules: createModules(), ante: anteHandler, log: silentLogger, consensusKeyOf });
    await app.initChain({
      chainId, time: { seconds: 1_700_000_000n, nanos: 0 }, initialHeight: 1n, appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
      consensusParams: { block: { maxBytes: 1n << 30n, maxGas: -1n }, abci: { voteExtensionsEnableHeight: o.voteExtensions ? 1n : 0n } }, validators: [],
    } as never);
    const seed = Buffer.from(key.priv_key.value, "base64").subarray(0, 32);
    const signer = o.voteExtensions ? createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" }) : undefined;
    return new InProcessChain(app, chainId, dir, new Uint8Array(createHash("sha256").update(consensusKey).digest().subarray(0, 20)), signer);
  }

  /** FinalizeBlock + Commit with these txs; returns the tx results and FinalizeBlock's wall time. */
  async block(txs: Uint8Array[], hash?: Uint8Array): Promise<{ ms: number; results: Array<{ code: number; log: string }> }> {
    this.height++;
    this.time += 1n;
    const lastVotes = this.height > 1n ? [{ validator: { address: this.validatorAddress, power: 100000n }, blockIdFlag: 2 }] : [];
    let beacon = 0;
    if (this.signer) {
      const base = { height: this.height, time: { seconds: this.time, nanos: 0 }, misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: this.validatorAddress };
      const extensionSignature = new Uint8Array(sign(null, voteExtensionSignBytes(this.chainId, this.height - 1n, 0), this.signer));
      const localLastCommit = { round: 0, votes: lastVotes.map((v) => ({ ...v, voteExtension: new Uint8Array(), extensionSignature })) };
      const proposed = this.app.prepareProposal({ ...base, txs, maxTxBytes: 1n << 30n, localLastCommit } as never).txs ?? [];
      const verdict = this.app.processProposal({ ...base, txs: proposed, hash: new Uint8Array(32), proposedLastCommit: { round: 0, votes: lastVotes } } as never);
      if (verdict.status !== 1) throw new Error(`block ${this.height}: the app rejected its own proposal`);
      beacon = proposed.length - txs.length;
      txs = proposed;
    }
    const t0 = performance.now();
    const res = await this.app.finalizeBlock({
      txs, height: this.height, time: { seconds: this.time, nanos: 0 }, hash: hash ?? createHash("sha256").update(`block ${this.height}`).digest(),
      decidedLastCommit: { round: 0, votes: lastVotes },
      misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: this.validatorAddress,
    } as never);
    const ms = performance.now() - t0;
    await this.app.commit();
    return { ms, results: (res.txResults ?? []).slice(beacon).map((r) => ({ code: r.code, log: r.log })) };
  }

  async close(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
