import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitForHeight } from "../../app/arod/cli/devnet.ts";
import { createTestnet, TESTNET_CHAIN_ID, type TestnetInfo } from "../../app/testnet/create.ts";
import { startValidator, stopAll } from "../../app/testnet/control.ts";
import { freePort } from "../../app/testnet/ports.ts";

/** A temporary N-validator testnet with the same face as LocalNode, for benchmarks. */
export class TestnetNode {
  readonly chainId = TESTNET_CHAIN_ID;
  /** The demo account is number 0; benchmark accounts follow. */
  readonly firstAccountNumber = 1;

  private constructor(private readonly info: TestnetInfo, readonly dir: string) {}

  /** maxBlockGas: the consensus param block.max_gas (as LocalNode's option) */
  static async create(validators: number, accounts: Array<{ address: string; coins: string }>, timeoutCommit: string, comet: Array<[string, string, string | number | boolean]>, maxBlockGas?: bigint) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-bench-testnet-"));
    const base = ((await freePort()) % 20000) + 30000;
    const info = await createTestnet(path.join(dir, "net"), {
      validators, basePort: base - (base % 10), timeoutCommit, accounts, comet,
      editGenesis: maxBlockGas === undefined ? undefined : (g) => void (g.consensus_params.block.max_gas = String(maxBlockGas)),
    });
    return new TestnetNode(info, dir);
  }

  /** validator 0's home (its genesis is everyone's) */
  get firstHome(): string {
    return this.info.validators[0].home;
  }

  get rpc(): string {
    return this.info.validators[0].rpc;
  }

  async start(): Promise<void> {
    for (const v of this.info.validators) await startValidator(this.info, v.index);
    await Promise.all(this.info.validators.map((v) => waitForHeight(v.rpc, 1, 120_000)));
  }

  async latestHeight(): Promise<number> {
    const r = (await (await fetch(`${this.rpc}/status`)).json()) as any;
    return Number(r.result.sync_info.latest_block_height);
  }

  async cleanup(): Promise<void> {
    await stopAll(this.info);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
