// arod with CometBFT as a separate process over the ABCI socket (how arod always runs):
// one validator (LocalNode) or a local testnet of several (TestnetNode).
import { LocalNode } from "../../../app/testnet/local-node.ts";
import { readGenesis } from "../../../app/arod/node/init.ts";
import { FastAccount } from "../fast-signer.ts";
import { TestnetNode } from "../testnet-node.ts";
import { balanceProbe, sharedCometConfig, type BenchChain, type TomlEdit } from "./bench-chain.ts";
import { processesUnder } from "./processes.ts";

export class ArodChain implements BenchChain {
  readonly name = "arod";
  readonly probe;

  private constructor(private readonly node: LocalNode | TestnetNode, readonly root: string, private readonly genesisHome: string, private readonly accounts: FastAccount[]) {
    this.probe = balanceProbe(accounts[accounts.length - 1].address, "uaro");
  }

  static async create(o: { validators: number; timeoutCommit: string; accounts: number; maxBlockGas: bigint; comet?: TomlEdit[] }): Promise<ArodChain> {
    const accounts = Array.from({ length: o.accounts }, (_, i) => new FastAccount(`bench-account-${i}`));
    const funded = accounts.map((a) => ({ address: a.address, coins: "100000000000uaro" }));
    const comet = [...sharedCometConfig(o.timeoutCommit), ...(o.comet ?? [])];
    if (o.validators > 1) {
      const net = await TestnetNode.create(o.validators, funded, o.timeoutCommit, comet, o.maxBlockGas);
      return new ArodChain(net, net.dir, net.firstHome, accounts);
    }
    const node = await LocalNode.create({ funded, timeoutCommit: o.timeoutCommit, maxBlockGas: o.maxBlockGas, invCheckPeriod: 0, comet });
    return new ArodChain(node, node.home, node.home, accounts);
  }

  get rpc(): string {
    return this.node.rpc;
  }

  /** The block limits every chain in the comparison gets: arod's genesis ones. */
  consensusLimits(): { maxBytes: string; maxGas: string } {
    const block = readGenesis(this.genesisHome).consensus_params.block;
    return { maxBytes: String(block.max_bytes), maxGas: String(block.max_gas) };
  }

  async start(): Promise<void> {
    if (this.node instanceof LocalNode) await this.node.start(2, 120_000);
    else await this.node.start();
  }

  processes() {
    return processesUnder(this.root);
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
