import { createHash } from "node:crypto";
import type {
  RequestCheckTx, RequestFinalizeBlock, RequestInfo, RequestInitChain, RequestPrepareProposal,
  RequestProcessProposal, RequestQuery, ResponseFinalizeBlock, ResponseProcessProposal_ProposalStatus, ValidatorUpdate,
  RequestExtendVote, RequestVerifyVoteExtension, ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { AbciApplication } from "./abci/application.ts";
import { beaconTx, checkBeacon, decodeBeaconTx, genesisBeacon, isBeaconTx, nextBeacon } from "./beacon.ts";
import { sdkErrors, toAppError } from "./errors.ts";
import { EventManager } from "./events.ts";
import { GasMeter } from "./gas.ts";
import { HookRegistry } from "./hooks.ts";
import type { BlockInfo, Context, Module, MsgRoute } from "./module.ts";
import { CacheKV } from "./store/cache.ts";
import type { CommittedStore } from "./store/committed-store.ts";
import type { KVReader } from "./store/kv.ts";
import type { AnteHandler, AnteOptions } from "./tx/ante-options.ts";
import type { GasPrice } from "./tx/min-gas-price.ts";
import { runTx, type TxResult } from "./tx/run-tx.ts";
import { SignatureCache } from "./tx/signature-cache.ts";
import { QueryRouter } from "./query-router.ts";
import type { Logger } from "./logger.ts";

export const APP_VERSION = "0.1.0";
const CHAIN_ID_KEY = "baseapp/chain_id";
const MAX_BLOCK_GAS_KEY = "baseapp/max_block_gas";
/** Time of the last block: the clock CheckTx and simulation see (the next block is at least this late). */
const BLOCK_TIME_KEY = "baseapp/block_time";
/** The randomness beacon of the last block (chain/beacon.ts). */
const BEACON_KEY = "baseapp/beacon";
/** Consensus param abci.vote_extensions_enable_height (0: off); from genesis. */
const VOTE_EXTENSIONS_KEY = "baseapp/vote_extensions_enable_height";
/** Consensus keys of genesis.json's validators, kept when no module replaces them (a chain without staking genesis). */
const GENESIS_VALIDATOR_PREFIX = "baseapp/genesis_validator/";
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface AppOptions {
  readonly store: CommittedStore;
  readonly modules: readonly Module[];
  readonly ante: AnteHandler;
  readonly log: Logger;
  /** Node-local minimum gas price for CheckTx (app.toml `minimum-gas-prices`). */
  readonly minGasPrice?: GasPrice;
  /** CometBFT RPC, used only to serve the GetTx query from its tx index. */
  readonly rpcUrl?: string;
  /** Called after each Commit with the committed state (the node checks invariants here). */
  readonly onCommit?: (height: bigint, state: KVReader) => void;
  /** A validator's ed25519 consensus key by CometBFT address (upper hex), to check beacon signatures in ProcessProposal. */
  readonly consensusKeyOf?: (state: KVReader, addressHex: string) => Uint8Array | undefined;
}

/** Cosmos-SDK-style BaseApp: the ABCI state machine that routes txs and queries to modules. */
export class App implements AbciApplication {
  readonly routes = new Map<string, MsgRoute>();
  readonly queries: QueryRouter;
  readonly hooks: HookRegistry;
  private readonly sigCache = new SignatureCache();
  private checkState: CacheKV;
  private blockState?: CacheKV;
  private pendingHeight = 0n;

  constructor(readonly opts: AppOptions) {
    for (const m of opts.modules) {
      for (const r of m.msgs ?? []) {
        if (this.routes.has(r.typeUrl)) throw new Error(`message ${r.typeUrl} registered twice`);
        this.routes.set(r.typeUrl, r);
      }
    }
    for (const m of opts.modules) m.bindRouter?.(this.routes);
    this.hooks = new HookRegistry(opts.modules);
    this.checkState = new CacheKV(opts.store);
    this.queries = new QueryRouter(this, opts.modules.flatMap((m) => m.queries ?? []));
  }

  get ante(): AnteHandler {
    return this.opts.ante;
  }

  get store(): CommittedStore {
    return this.opts.store;
  }

  chainId(state: KVReader = this.opts.store): string {
    const raw = state.get(CHAIN_ID_KEY);
    return raw ? dec.decode(raw) : "";
  }

  /** Block gas limit (consensus param block.max_gas, kept in state); undefined when unlimited. */
  maxBlockGas(state: KVReader = this.opts.store): bigint | undefined {
    const raw = state.get(MAX_BLOCK_GAS_KEY);
    const g = raw ? BigInt(dec.decode(raw)) : -1n;
    return g > 0n ? g : undefined;
  }

  /** Whether block `height` must carry the beacon tx: vote extensions were on for its parent's precommits. */
  beaconRequired(height: bigint, state: KVReader = this.opts.store): boolean {
    const enabled = this.voteExtensionsEnableHeight(state);
    return enabled > 0n && height > enabled;
  }

  voteExtensionsEnableHeight(state: KVReader = this.opts.store): bigint {
    const raw = state.get(VOTE_EXTENSIONS_KEY);
    return raw ? BigInt(dec.decode(raw)) : 0n;
  }

  /** The beacon of the last finalized block (every seed is drawn from it). */
  beacon(state: KVReader = this.opts.store): Uint8Array | undefined {
    return state.get(BEACON_KEY);
  }

  anteOptions(state: KVReader): AnteOptions {
    return { minGasPrice: this.opts.minGasPrice, maxBlockGas: this.maxBlockGas(state), sigCache: this.sigCache };
  }

  async info(_req: RequestInfo) {
    const last = this.opts.store.lastCommitted;
    return { data: "arod", version: APP_VERSION, appVersion: 1n, lastBlockHeight: last.height, lastBlockAppHash: last.appHash };
  }

  async initChain(req: RequestInitChain) {
    const state = new CacheKV(this.opts.store);
    state.set(CHAIN_ID_KEY, enc.encode(req.chainId));
    state.set(MAX_BLOCK_GAS_KEY, enc.encode((req.consensusParams?.block?.maxGas ?? -1n).toString()));
    state.set(VOTE_EXTENSIONS_KEY, enc.encode((req.consensusParams?.abci?.voteExtensionsEnableHeight ?? 0n).toString()));
    state.set(BEACON_KEY, genesisBeacon(req.chainId));
    let genesis: Record<string, unknown>;
    try {
      genesis = req.appStateBytes.length ? JSON.parse(dec.decode(req.appStateBytes)) : {};
    } catch (err) {
      throw new Error(`genesis app_state is not valid JSON: ${(err as Error).message}`);
    }
    const block: BlockInfo = { height: req.initialHeight, timeSeconds: req.time.seconds, chainId: req.chainId };
    const ctx: Context = { store: state, block, events: new EventManager(), gas: new GasMeter(undefined), mode: "genesis", hooks: this.hooks };
    const validators: ValidatorUpdate[] = [];
    for (const m of this.opts.modules) {
      try {
        const updates = m.initGenesis?.(ctx, genesis[m.name] ?? m.defaultGenesis?.());
        if (updates) validators.push(...updates);
      } catch (err) {
        throw new Error(`invalid genesis for module ${m.name}: ${toAppError(err).message}`);
      }
    }
    if (validators.length === 0) {
      for (const v of req.validators) {
        const key = v.pubKey?.ed25519;
        if (key?.length === 32) state.set(GENESIS_VALIDATOR_PREFIX + createHash("sha256").update(key).digest().subarray(0, 20).toString("hex").toUpperCase(), key);
      }
    }
    const appHash = await this.opts.store.stage(state.sortedWrites());
    this.blockState = new CacheKV(this.opts.store);
    this.opts.log.info("genesis loaded", { chainId: req.chainId, appHash: Buffer.from(appHash).toString("hex") });
    // An empty list keeps the validators of genesis.json; staking genesis replaces them.
    return { appHash, validators };
  }

  /** The block a CheckTx or simulation pretends to run in: the next height, at the last block's time. */
  private nextBlock(state: KVReader): BlockInfo {
    const raw = state.get(BLOCK_TIME_KEY);
    return { height: this.opts.store.lastCommitted.height + 1n, timeSeconds: raw ? BigInt(dec.decode(raw)) : 0n, chainId: this.chainId(state), seed: this.beacon(state) };
  }

  checkTx(req: RequestCheckTx) {
    const mode = req.type === 1 ? "recheck" : "check";
    const block = this.nextBlock(this.checkState);
    const r = runTx(this, mode, req.tx, this.checkState, block, this.anteOptions(this.checkState));
    return { code: r.code, codespace: r.codespace, log: r.log, gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events };
  }

  /** Simulates a tx on a throwaway branch of the committed state (for "auto" gas). */
  simulate(txBytes: Uint8Array): TxResult {
    const state = new CacheKV(this.opts.store.readerAt(this.opts.store.lastCommitted.height));
    const block = this.nextBlock(state);
    return runTx(this, "simulate", txBytes, state, block, this.anteOptions(state));
  }

  /** Gas limit a tx asks for, or undefined if it cannot be decoded. */
  private gasWanted(tx: Uint8Array): bigint | undefined {
    try {
      return AuthInfo.decode(TxRaw.decode(tx).authInfoBytes).fee?.gasLimit ?? 0n;
    } catch {
      return undefined;
    }
  }

  prepareProposal(req: RequestPrepareProposal) {
    const maxGas = this.maxBlockGas();
    const txs: Uint8Array[] = [];
    let bytes = 0n;
    let gas = 0n;
    if (this.beaconRequired(req.height)) {
      const beacon = beaconTx(req.localLastCommit);
      bytes += BigInt(beacon.length);
      txs.push(beacon);
    }
    for (const tx of req.txs) {
      if (isBeaconTx(tx)) continue;
      const wanted = this.gasWanted(tx);
      if (wanted === undefined) continue;
      if (bytes + BigInt(tx.length) > req.maxTxBytes) break;
      if (maxGas !== undefined && gas + wanted > maxGas) continue;
      bytes += BigInt(tx.length);
      gas += wanted;
      txs.push(tx);
    }
    return { txs };
  }

  processProposal(req: RequestProcessProposal) {
    const reject = (why: string) => {
      this.opts.log.info("rejected proposal", { height: req.height.toString(), reason: why });
      return { status: 2 as ResponseProcessProposal_ProposalStatus };
    };
    let txs = req.txs;
    if (this.beaconRequired(req.height)) {
      const input = txs.length ? decodeBeaconTx(txs[0]) : undefined;
      if (!input) return reject("the first tx is not a valid beacon tx");
      const state = this.opts.store;
      const keyOf = (addr: string) => this.opts.consensusKeyOf?.(state, addr) ?? state.get(GENESIS_VALIDATOR_PREFIX + addr);
      const wrong = checkBeacon(input, req.proposedLastCommit, this.chainId(state), req.height, keyOf);
      if (wrong) return reject(wrong);
      txs = txs.slice(1);
    }
    if (txs.some(isBeaconTx)) return reject("a beacon tx where none belongs");
    const maxGas = this.maxBlockGas();
    let gas = 0n;
    for (const tx of txs) gas += this.gasWanted(tx) ?? 0n;
    if (maxGas !== undefined && gas > maxGas) return reject(`txs want ${gas} gas, more than the block's ${maxGas}`);
    return { status: 1 as ResponseProcessProposal_ProposalStatus };
  }

  /** The extension is empty: what the beacon uses is CometBFT's deterministic signature over it. */
  extendVote(_req: RequestExtendVote) {
    return { voteExtension: new Uint8Array() };
  }

  /** Only the empty extension is valid, so no validator can stuff data into others' blocks. */
  verifyVoteExtension(req: RequestVerifyVoteExtension) {
    return { status: (req.voteExtension.length === 0 ? 1 : 2) as ResponseVerifyVoteExtension_VerifyStatus };
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<Partial<ResponseFinalizeBlock>> {
    const state = this.blockState ?? new CacheKV(this.opts.store);
    this.blockState = undefined;
    const beaconInput = this.beaconRequired(req.height, state) && req.txs.length ? decodeBeaconTx(req.txs[0]) : undefined;
    const seed = nextBeacon(this.beacon(state) ?? genesisBeacon(this.chainId(state)), req.height, beaconInput);
    state.set(BEACON_KEY, seed);
    const block: BlockInfo = {
      height: req.height,
      timeSeconds: req.time.seconds,
      chainId: this.chainId(state),
      hash: req.hash,
      seed,
      lastCommit: (req.decidedLastCommit?.votes ?? []).map((v) => ({
        address: v.validator.address, power: v.validator.power, signed: v.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
      })),
      misbehavior: req.misbehavior.map((m) => ({ type: m.type, address: m.validator.address, height: m.height, power: m.validator.power })),
    };
    state.set(BLOCK_TIME_KEY, enc.encode(req.time.seconds.toString()));
    const blockEvents = new EventManager();
    const hookCtx: Context = { store: state, block, events: blockEvents, gas: new GasMeter(undefined), mode: "finalize", hooks: this.hooks };
    for (const m of this.opts.modules) m.beginBlock?.(hookCtx);

    const maxGas = this.maxBlockGas(state);
    const opts = this.anteOptions(state);
    let blockGas = 0n;
    const txResults = req.txs.map((bytes, i) => {
      if (i === 0 && beaconInput) return { code: 0, codespace: "", log: "beacon", data: new Uint8Array(), gasWanted: 0n, gasUsed: 0n, events: [], info: "" };
      let r = runTx(this, "finalize", bytes, state, block, opts);
      if (maxGas !== undefined && blockGas + r.gasUsed > maxGas && r.code === 0) {
        r = { ...r, code: sdkErrors.outOfGas.code, codespace: "sdk", log: `block gas limit ${maxGas} exceeded`, events: [] };
      }
      blockGas += r.gasUsed;
      return { code: r.code, codespace: r.codespace, log: r.log, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events, info: "" };
    });

    const validatorUpdates: ValidatorUpdate[] = [];
    for (const m of this.opts.modules) {
      const updates = m.endBlock?.(hookCtx);
      if (updates) validatorUpdates.push(...updates);
    }
    const appHash = await this.opts.store.stage(state.sortedWrites());
    this.pendingHeight = req.height;
    return { txResults, events: [...blockEvents.events], validatorUpdates, appHash };
  }

  async commit() {
    const info = await this.opts.store.commit(this.pendingHeight);
    this.checkState = new CacheKV(this.opts.store);
    this.opts.onCommit?.(info.height, this.opts.store);
    return { retainHeight: 0n };
  }

  query(req: RequestQuery) {
    return this.queries.handle(req);
  }

  /** Broken invariants across all modules (empty when the state is sound). */
  invariants(state: KVReader = this.opts.store): string[] {
    return this.opts.modules.flatMap((m) => m.invariants?.(state) ?? []);
  }

  /** The whole app state as genesis JSON (modules' own shapes). */
  exportGenesis(state: KVReader = this.opts.store): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of this.opts.modules) if (m.exportGenesis) out[m.name] = m.exportGenesis(state);
    return out;
  }
}

