import type { OfflineSigner, EncodeObject } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, SigningStargateClient, calculateFee, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import type { Logger } from "pino";
import { BROADCAST_POLL_MS, aroRegistry, setupAroExtension } from "../../client/index.ts";
import type { PageRequest } from "../../proto/gen/cosmos/base/query/v1beta1/pagination.ts";

export type AroQuery = ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;

/** Every page of a paginated query, in order (the SDK's key-based paging). */
export async function* pages<R extends { pagination?: { nextKey: Uint8Array } }>(query: (pagination: PageRequest) => Promise<R>, limit = 200n): AsyncGenerator<R> {
  let key: Uint8Array = new Uint8Array();
  do {
    const page = await query({ key, offset: 0n, limit, countTotal: false, reverse: false });
    yield page;
    key = page.pagination?.nextKey ?? new Uint8Array();
  } while (key.length > 0);
}

export interface ChainClientOptions {
  rpc: string;
  signer: OfflineSigner;
  chainId?: string;
  gasPrice: string;
  gasAdjustment: number;
  /** warn when the fee balance falls under this many base units */
  lowBalance: bigint;
  denom: string;
  log: Logger;
  /** told of every included tx (seconds from signing) and of the balance after it */
  observe?: { tx(typeUrl: string, seconds: number): void; balance(amount: bigint): void };
}

export class TxFailedError extends Error {
  constructor(readonly codespace: string, readonly code: number, readonly log: string) {
    super(`tx failed (${codespace}/${code}): ${log}`);
  }
}

/**
 * The agent's link to the chain: queries, and txs signed by the operator key, one at a
 * time (so sequences never race), each simulated first so a failing tx costs no fee.
 */
export class ChainClient {
  private queue: Promise<unknown> = Promise.resolve();
  warnedLowBalance = false;

  private constructor(
    readonly opts: ChainClientOptions,
    readonly address: string,
    readonly signing: SigningStargateClient,
    readonly comet: Comet38Client,
    readonly q: AroQuery,
    readonly chainId: string,
  ) {}

  static async connect(opts: ChainClientOptions): Promise<ChainClient> {
    const [account] = await opts.signer.getAccounts();
    let comet: Comet38Client;
    let signing: SigningStargateClient;
    let chainId: string;
    try {
      comet = await Comet38Client.connect(opts.rpc);
      signing = await SigningStargateClient.createWithSigner(comet, opts.signer, {
        registry: aroRegistry(),
        gasPrice: GasPrice.fromString(opts.gasPrice),
        broadcastPollIntervalMs: BROADCAST_POLL_MS,
      });
      chainId = await signing.getChainId();
    } catch (err) {
      throw new Error(`cannot reach the chain at ${opts.rpc}: ${(err as Error).message}`);
    }
    if (opts.chainId && opts.chainId !== chainId) throw new Error(`config chain_id ${opts.chainId} does not match the node's chain id ${chainId}`);
    return new ChainClient(opts, account.address, signing, comet, QueryClient.withExtensions(comet, setupAroExtension), chainId);
  }

  async height(): Promise<bigint> {
    return BigInt((await this.comet.status()).syncInfo.latestBlockHeight);
  }

  async balance(): Promise<bigint> {
    return BigInt((await this.signing.getBalance(this.address, this.opts.denom)).amount);
  }

  /** Simulates, then signs and broadcasts `msgs`; resolves once included; throws TxFailedError on a non-zero code. */
  send(msgs: EncodeObject[], memo = ""): Promise<DeliverTxResponse> {
    const run = async () => {
      let gas: number;
      try {
        gas = await this.signing.simulate(this.address, msgs, memo);
      } catch (err) {
        throw new TxFailedError("simulate", 1, (err as Error).message);
      }
      const fee = calculateFee(Math.ceil(gas * this.opts.gasAdjustment), GasPrice.fromString(this.opts.gasPrice));
      const t0 = performance.now();
      const r = await this.signing.signAndBroadcast(this.address, msgs, fee, memo);
      this.opts.observe?.tx(msgs[0].typeUrl, (performance.now() - t0) / 1000);
      await this.checkBalance();
      if (r.code !== 0) throw new TxFailedError("tx", r.code, r.rawLog ?? "");
      return r;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async checkBalance(): Promise<void> {
    const balance = await this.balance().catch(() => undefined);
    if (balance === undefined) return;
    this.opts.observe?.balance(balance);
    if (balance < this.opts.lowBalance) {
      this.opts.log.warn({ balance: balance.toString(), threshold: this.opts.lowBalance.toString(), address: this.address }, "operator balance is running low: fund it or txs (claims, proofs) will start to fail");
      this.warnedLowBalance = true;
    } else {
      this.warnedLowBalance = false;
    }
  }

  disconnect(): void {
    this.signing.disconnect();
  }
}
