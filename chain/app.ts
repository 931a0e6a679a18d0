import "./proto-writer.ts";
import type {
  RequestCheckTx, RequestFinalizeBlock, RequestInfo, RequestInitChain, RequestPrepareProposal,
  RequestProcessProposal, RequestQuery, ResponseFinalizeBlock, ValidatorUpdate,
  RequestExtendVote, RequestVerifyVoteExtension, ResponseVerifyVoteExtension_VerifyStatus,
  RequestLoadSnapshotChunk, RequestOfferSnapshot, RequestApplySnapshotChunk,
} from "cosmjs-types/tendermint/abci/types";
import { ResponseApplySnapshotChunk_Result, ResponseOfferSnapshot_Result } from "cosmjs-types/tendermint/abci/types";
import type { SnapshotManager } from "./snapshots/manager.ts";
import { UpgradeNeeded } from "./halt.ts";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { AbciApplication } from "./abci/application.ts";
import { appState, beaconRequired, blockRetentionHeight, cometAddressHex, maxBlockGas } from "./app-state.ts";
import { decodeBeaconTx, genesisBeacon, nextBeacon } from "./beacon.ts";
import { prepareProposal, processProposal } from "./proposal.ts";
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
import { TxDecodeCache } from "./tx/decode-cache.ts";
import { QueryRouter } from "./query-router.ts";
import type { Logger } from "./logger.ts";
import { APP_VERSION } from "./version.ts";

export { APP_VERSION };
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
  /** Blocks CometBFT keeps (app.toml min-retain-blocks; 0 keeps all), never fewer than snapshots need. */
  readonly retain?: { readonly minRetainBlocks: number; readonly snapshotInterval?: number; readonly snapshotKeepRecent?: number };
  /** The chain reached an upgrade this binary has no handler for (x/upgrade): the host writes upgrade-info.json and stops. */
  readonly onUpgradeNeeded?: (plan: UpgradeNeeded["plan"]) => void;
  /** State-sync snapshots: taken after commits, served to peers, restored from (none: state sync neither served nor accepted). */
  readonly snapshots?: SnapshotManager;
  /** A validator's ed25519 consensus key by CometBFT address (upper hex), to check beacon signatures in ProcessProposal. */
  readonly consensusKeyOf?: (state: KVReader, addressHex: string) => Uint8Array | undefined;
}

/** Cosmos-SDK-style BaseApp: the ABCI state machine that routes txs and queries to modules. */
export class App implements AbciApplication {
  readonly routes = new Map<string, MsgRoute>();
  readonly queries: QueryRouter;
  readonly hooks: HookRegistry;
  private readonly sigCache = new SignatureCache();
  readonly decodeCache = new TxDecodeCache(this.routes);
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
    return appState.chainId.get(state);
  }

  voteExtensionsEnableHeight(state: KVReader = this.opts.store): bigint {
    return appState.voteExtensionsEnableHeight.get(state);
  }

  /** The beacon of the last finalized block (every seed is drawn from it). */
  beacon(state: KVReader = this.opts.store): Uint8Array | undefined {
    return appState.beacon.get(state);
  }

  anteOptions(state: KVReader): AnteOptions {
    return { minGasPrice: this.opts.minGasPrice, maxBlockGas: maxBlockGas(state), sigCache: this.sigCache };
  }

  async info(_req: RequestInfo) {
    const last = this.opts.store.lastCommitted;
    return { data: "arod", version: APP_VERSION, appVersion: 1n, lastBlockHeight: last.height, lastBlockAppHash: last.appHash };
  }

  async initChain(req: RequestInitChain) {
    const state = new CacheKV(this.opts.store);
    appState.chainId.set(state, req.chainId);
    appState.maxBlockGas.set(state, req.consensusParams?.block?.maxGas ?? -1n);
    appState.voteExtensionsEnableHeight.set(state, req.consensusParams?.abci?.voteExtensionsEnableHeight ?? 0n);
    appState.evidenceMaxAgeBlocks.set(state, req.consensusParams?.evidence?.maxAgeNumBlocks ?? 0n);
    appState.beacon.set(state, genesisBeacon(req.chainId));
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
        if (key?.length === 32) appState.genesisValidators.set(state, cometAddressHex(key), key);
      }
    }
    const appHash = await this.opts.store.stage(state.sortedWrites(), req.initialHeight);
    this.blockState = new CacheKV(this.opts.store);
    this.opts.log.info("genesis loaded", { chainId: req.chainId, appHash: Buffer.from(appHash).toString("hex") });
    // An empty list keeps the validators of genesis.json; staking genesis replaces them.
    return { appHash, validators };
  }

  /** The block a CheckTx or simulation pretends to run in: the next height, at the last block's time. */
  private nextBlock(state: KVReader): BlockInfo {
    return { height: this.opts.store.lastCommitted.height + 1n, timeSeconds: appState.blockTime.get(state), chainId: this.chainId(state), seed: this.beacon(state) };
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

  prepareProposal(req: RequestPrepareProposal) {
    return prepareProposal({ state: this.opts.store, log: this.opts.log, consensusKeyOf: this.opts.consensusKeyOf }, req);
  }

  processProposal(req: RequestProcessProposal) {
    return processProposal({ state: this.opts.store, log: this.opts.log, consensusKeyOf: this.opts.consensusKeyOf }, req);
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
    const beaconInput = beaconRequired(state, req.height) && req.txs.length ? decodeBeaconTx(req.txs[0]) : undefined;
    const seed = nextBeacon(this.beacon(state) ?? genesisBeacon(this.chainId(state)), req.height, beaconInput);
    appState.beacon.set(state, seed);
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
    appState.blockTime.set(state, req.time.seconds);
    const blockEvents = new EventManager();
    const hookCtx: Context = { store: state, block, events: blockEvents, gas: new GasMeter(undefined), mode: "finalize", hooks: this.hooks };
    try {
      for (const m of this.opts.modules) m.beginBlock?.(hookCtx);
    } catch (err) {
      // the block is not finished: the host stops the node for the new binary
      if (err instanceof UpgradeNeeded) this.opts.onUpgradeNeeded?.(err.plan);
      throw err;
    }

    const maxGas = maxBlockGas(state);
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
    const appHash = await this.opts.store.stage(state.sortedWrites(), req.height);
    this.pendingHeight = req.height;
    return { txResults, events: [...blockEvents.events], validatorUpdates, appHash };
  }

  async commit() {
    const info = await this.opts.store.commit(this.pendingHeight);
    this.checkState = new CacheKV(this.opts.store);
    this.opts.onCommit?.(info.height, this.opts.store);
    this.opts.snapshots?.afterCommit(info.height);
    const retainHeight = blockRetentionHeight(info.height, { ...this.opts.retain, minRetainBlocks: this.opts.retain?.minRetainBlocks ?? 0, evidenceMaxAgeBlocks: appState.evidenceMaxAgeBlocks.get(this.opts.store) });
    return { retainHeight };
  }

  listSnapshots() {
    return this.opts.snapshots?.list() ?? { snapshots: [] };
  }

  loadSnapshotChunk(req: RequestLoadSnapshotChunk) {
    return this.opts.snapshots?.loadChunk(req) ?? { chunk: new Uint8Array() };
  }

  async offerSnapshot(req: RequestOfferSnapshot) {
    if (!this.opts.snapshots) return { result: ResponseOfferSnapshot_Result.ABORT };
    return this.opts.snapshots.offer(req);
  }

  async applySnapshotChunk(req: RequestApplySnapshotChunk) {
    if (!this.opts.snapshots) return { result: ResponseApplySnapshotChunk_Result.ABORT };
    const r = await this.opts.snapshots.applyChunk(req);
    // a restored state is the one CheckTx and queries read from now on
    if (r.result === ResponseApplySnapshotChunk_Result.ACCEPT && !this.opts.store.hasStaged) this.checkState = new CacheKV(this.opts.store);
    return r;
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

