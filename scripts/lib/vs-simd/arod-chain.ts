// arod with CometBFT as a separate process over the ABCI socket (how arod always runs).
import { LocalNode } from "../../../app/testnet/local-node.ts";
import { FastAccount } from "../fast-signer.ts";
import type { BenchChain, TomlEdit } from "./bench-chain.ts";
import { balanceProbe, sharedCometConfig } from "./bench-chain.ts";
import { readGenesis } from "../../../app/arod/node/init.ts";

export class ArodChain implements BenchChain {
  readonly name = "arod";

  readonly probe;

  private constructor(private readonly node: LocalNode, private readonly accounts: FastAccount[]) {
    this.probe = balanceProbe(accounts[accounts.length - 1].address, "uaro");
  }

  static async create(o: { timeoutCommit: string; accounts: number; maxBlockGas: bigint; comet?: TomlEdit[] }): Promise<ArodChain> {
    const accounts = Array.from({ length: o.accounts }, (_, i) => new FastAccount(`bench-account-${i}`));
    const node = await LocalNode.create({
      funded: accounts.map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      timeoutCommit: o.timeoutCommit, maxBlockGas: o.maxBlockGas, invCheckPeriod: 0,
      comet: [...sharedCometConfig(o.timeoutCommit), ...(o.comet ?? [])],
    });
    return new ArodChain(node, accounts);
  }

  get rpc(): string {
    return this.node.rpc;
  }

  /** The block limits every chain in the comparison gets: arod's genesis ones. */
  consensusLimits(): { maxBytes: string; maxGas: string } {
    const block = readGenesis(this.node.home).consensus_params.block;
    return { maxBytes: String(block.max_bytes), maxGas: String(block.max_gas) };
  }

  async start(): Promise<void> {
    await this.node.start(2, 120_000);
  }

  processes() {
    const comet = this.node.cometbftPid();
    return { app: this.node.arod?.pid ? [this.node.arod.pid] : [], consensus: comet ? [comet] : [] };
  }

  async signLoad(perAccount: number): Promise<string[]> {
    const txs: string[] = [];
    const to = this.accounts[0].address;
    for (let sequence = 0n; sequence < BigInt(perAccount); sequence++) {
      this.accounts.forEach((a, i) => {
        const tx = a.signedSend({ to, amount: "1", chainId: this.node.chainId, accountNumber: BigInt(i + this.node.firstAccountNumber), sequence, gas: 200000n, fee: "5000" });
        txs.push(Buffer.from(tx).toString("base64"));
      });
    }
    return txs;
  }

  async cleanup(): Promise<void> {
    await this.node.cleanup();
  }
}
