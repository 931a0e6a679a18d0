import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { SimulateRequest, SimulateResponse, GetTxRequest, GetTxResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { QueryBeaconRequest, QueryBeaconResponse } from "../proto/gen/aro/base/v1/query.ts";
import { isBeaconTx } from "./beacon.ts";
import { AppError, sdkErrors, toAppError } from "./errors.ts";
import { decodeRequest, type QueryRoute } from "./module.ts";
import type { KVReader } from "./store/kv.ts";
import type { ProofOp } from "cosmjs-types/tendermint/crypto/proof";
import type { TxResult } from "./tx/run-tx.ts";
import { txResponseOf, type CometTxJson } from "./tx/tx-response.ts";

interface QueryHost {
  readonly store: {
    lastCommitted: { height: bigint };
    readerAt(height: bigint): KVReader;
    proveAt(height: bigint, store: string, key: Uint8Array): { value: Uint8Array | undefined; proofOps: ProofOp[] };
  };
  readonly opts: { rpcUrl?: string };
  simulate(txBytes: Uint8Array): TxResult;
  beacon(state: KVReader): Uint8Array | undefined;
  voteExtensionsEnableHeight(state: KVReader): bigint;
}

const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";
const GET_TX = "/cosmos.tx.v1beta1.Service/GetTx";
const BEACON = "/aro.base.v1.Query/Beacon";
/** `/store/<name>/key`: a raw key of a store, with ICS23 proofs when asked (the SDK's store query). */
const STORE_KEY = /^\/store\/([a-z0-9_]+)\/key$/;

/** Routes abci_query by gRPC method path, at the latest or a recent height. */
export class QueryRouter {
  private readonly routes = new Map<string, QueryRoute>();

  constructor(private readonly host: QueryHost, routes: readonly QueryRoute[]) {
    for (const r of routes) {
      if (this.routes.has(r.path)) throw new Error(`query ${r.path} registered twice`);
      this.routes.set(r.path, r);
    }
  }

  get paths(): string[] {
    return [...this.routes.keys(), SIMULATE, GET_TX, BEACON].sort();
  }

  async handle(req: RequestQuery): Promise<Partial<ResponseQuery>> {
    const latest = this.host.store.lastCommitted.height;
    const height = req.height === 0n ? latest : req.height;
    try {
      if (req.height < 0n) throw sdkErrors.invalidRequest.wrap("height must not be negative");
      const storeKey = STORE_KEY.exec(req.path);
      if (storeKey) return { code: 0, key: req.data, ...this.storeQuery(height, storeKey[1], req.data, req.prove), height };
      if (req.prove) throw sdkErrors.notSupported.wrap("proofs are served for /store/<store>/key queries; query this path without prove");
      let value: Uint8Array;
      if (req.path === SIMULATE) value = this.simulate(req.data);
      else if (req.path === GET_TX) value = await this.getTx(req.data);
      else if (req.path === BEACON) {
        decodeRequest(QueryBeaconRequest, req.data);
        const state = this.stateAt(height);
        value = QueryBeaconResponse.encode({
          beacon: this.host.beacon(state) ?? new Uint8Array(), height, voteExtensionsEnableHeight: this.host.voteExtensionsEnableHeight(state),
        }).finish();
      } else {
        const route = this.routes.get(req.path);
        if (!route) throw sdkErrors.unknownRequest.wrap(`unknown query path ${req.path}`);
        value = await route.handle(this.stateAt(height), req.data, height);
      }
      return { code: 0, value, height };
    } catch (err) {
      const e = toAppError(err);
      return { code: e.code, codespace: e.codespace, log: e.message, height };
    }
  }

  private stateAt(height: bigint): KVReader {
    try {
      return this.host.store.readerAt(height);
    } catch (err) {
      throw sdkErrors.invalidHeight.wrap((err as Error).message);
    }
  }

  private storeQuery(height: bigint, store: string, key: Uint8Array, prove: boolean): Pick<ResponseQuery, "value"> & { proofOps?: { ops: ProofOp[] } } {
    if (key.length === 0) throw sdkErrors.invalidRequest.wrap("a store query needs a key");
    let r: { value: Uint8Array | undefined; proofOps: ProofOp[] };
    try {
      r = this.host.store.proveAt(height, store, key);
    } catch (err) {
      const m = (err as Error).message;
      throw (/no store named/.test(m) ? sdkErrors.unknownRequest : sdkErrors.invalidHeight).wrap(m);
    }
    return { value: r.value ?? new Uint8Array(), ...(prove ? { proofOps: { ops: r.proofOps } } : {}) };
  }

  private simulate(data: Uint8Array): Uint8Array {
    const req = decodeRequest(SimulateRequest, data);
    const txBytes = req.txBytes.length > 0 ? req.txBytes : req.tx ? Tx.encode(req.tx).finish() : new Uint8Array();
    const r = this.host.simulate(txBytes);
    if (r.code !== 0) throw new AppError(r.codespace, r.code, r.log);
    return SimulateResponse.encode({
      gasInfo: { gasWanted: r.gasWanted, gasUsed: r.gasUsed },
      result: { data: r.data, log: "", events: r.events, msgResponses: r.msgResponses.map((m) => ({ typeUrl: m.typeUrl, value: m.value })) },
    }).finish();
  }

  /** Reads a committed tx from CometBFT's tx index (as the SDK's tx service does). */
  private async getTx(data: Uint8Array): Promise<Uint8Array> {
    const { hash } = decodeRequest(GetTxRequest, data);
    if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw sdkErrors.invalidRequest.wrap(`tx hash ${JSON.stringify(hash)} is not 64 hex digits`);
    const rpc = this.host.opts.rpcUrl;
    if (!rpc) throw sdkErrors.notSupported.wrap("this node has no CometBFT RPC address configured");
    const res = await fetch(`${rpc}/tx?hash=0x${hash}`);
    const body = (await res.json()) as { result?: CometTxJson; error?: { data?: string } };
    if (!body.result) throw sdkErrors.notFound.wrap(`tx ${hash.toUpperCase()}: ${body.error?.data ?? "not found"}`);
    const t = body.result;
    const blockRes = (await (await fetch(`${rpc}/block?height=${t.height}`)).json()) as { result?: { block?: { header?: { time?: string } } } };
    const txBytes = Buffer.from(t.tx, "base64");
    if (isBeaconTx(txBytes)) throw sdkErrors.invalidRequest.wrap(`tx ${hash.toUpperCase()} is block ${t.height}'s randomness beacon (validators' vote-extension signatures), not a Cosmos tx; see /aro.base.v1.Query/Beacon`);
    const tx = Tx.decode(txBytes);
    return GetTxResponse.encode({ tx, txResponse: txResponseOf(t, tx, blockRes.result?.block?.header?.time ?? "") }).finish();
  }
}
