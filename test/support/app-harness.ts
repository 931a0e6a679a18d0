import { createHash } from "node:crypto";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { aroRegistry } from "../../client/index.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { FastAccount } from "../../scripts/lib/fast-signer.ts";
import { InProcessChain } from "../../scripts/lib/in-process-chain.ts";
import type { ProtoType } from "../../chain/module.ts";

const registry = aroRegistry();
const FEE = 50_000n;

/** An account of the in-process chain: signs txs (and, as a customer, receipts) with one key. */
export class HarnessAccount {
  readonly key: FastAccount;
  sequence = 0n;
  accountNumber?: bigint;
  feesPaid = 0n;
  constructor(readonly seed: string) {
    this.key = new FastAccount(seed);
  }
  get address(): string {
    return this.key.address;
  }
  receiptSigner(): Promise<ReceiptSigner> {
    return ReceiptSigner.fromPrivateKey(createHash("sha256").update(this.seed).digest());
  }
}

/**
 * The real app (every module, ante, settlement) driven block by block in this process,
 * for tests that play many epochs quickly: txs are signed and delivered in FinalizeBlock,
 * queries go through the app's own query router.
 */
export class AppHarness {
  private pending: Array<{ from: HarnessAccount; bytes: Uint8Array }> = [];

  private constructor(readonly chain: InProcessChain) {}

  static async create(accounts: HarnessAccount[], coins: string, editGenesis: (appState: Record<string, any>) => void): Promise<AppHarness> {
    const chain = await InProcessChain.create({ funded: accounts.map((a) => ({ address: a.address, coins })), editGenesis });
    const h = new AppHarness(chain);
    await h.block(); // genesis is committed with the first block
    return h;
  }

  get height(): bigint {
    return this.chain.height;
  }

  async query<Req, Res>(path: string, req: ProtoType<Req>, res: ProtoType<Res>, value: Req): Promise<Res> {
    const r = await this.chain.app.query({ path, data: req.encode(value).finish(), height: 0n, prove: false } as never);
    if (r.code) throw new Error(`${path}: ${r.codespace}/${r.code} ${r.log}`);
    return res.decode(r.value!);
  }

  private async accountNumber(a: HarnessAccount): Promise<bigint> {
    if (a.accountNumber === undefined) {
      const { account } = await this.query("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest, QueryAccountResponse, { address: a.address });
      a.accountNumber = BaseAccount.decode(account!.value).accountNumber;
    }
    return a.accountNumber;
  }

  /** Queues a tx for the next block (its fee is 50,000uaro). */
  async send(from: HarnessAccount, msgs: Array<{ typeUrl: string; value: object }>): Promise<void> {
    const messages = msgs.map((m) => ({ typeUrl: m.typeUrl, value: registry.encode(m) }));
    const bytes = from.key.signedTx(messages, { chainId: this.chain.chainId, accountNumber: await this.accountNumber(from), sequence: from.sequence, gas: 20_000_000n, fee: FEE.toString() });
    from.sequence++;
    from.feesPaid += FEE;
    this.pending.push({ from, bytes });
  }

  /** Runs one block with the queued txs; returns each tx's result (code, log, message responses). */
  async block(): Promise<Array<{ code: number; log: string; responses: Array<{ typeUrl: string; value: Uint8Array }> }>> {
    const txs = this.pending;
    this.pending = [];
    const res = await this.chain.app.finalizeBlock({
      txs: txs.map((t) => t.bytes), height: this.chain.height + 1n, time: { seconds: 1_700_000_000n + this.chain.height + 1n, nanos: 0 },
      hash: createHash("sha256").update(`block ${this.chain.height + 1n}`).digest(),
      decidedLastCommit: { round: 0, votes: this.chain.height > 0n ? [{ validator: { address: this.chain.validatorAddress, power: 100000n }, blockIdFlag: 2 }] : [] },
      misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: this.chain.validatorAddress,
    } as never);
    await this.chain.app.commit();
    this.chain.height++;
    return (res.txResults ?? []).map((r) => ({ code: r.code, log: r.log ?? "", responses: r.code === 0 ? TxMsgData.decode(r.data!).msgResponses : [] }));
  }

  /** Runs blocks until `height` is the last committed one. */
  async until(height: bigint): Promise<void> {
    while (this.chain.height < height) await this.block();
  }

  broken(): string[] {
    return this.chain.app.invariants();
  }

  close(): Promise<void> {
    return this.chain.close();
  }
}
