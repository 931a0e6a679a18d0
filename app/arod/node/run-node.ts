import fs from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { anteHandler, consensusKeyOf, createModules } from "../../../modules/index.ts";
import { AbciServer } from "../../../chain/abci/server.ts";
import { App, APP_VERSION } from "../../../chain/app.ts";
import { createLogger, type Logger, type LogFormat } from "../../../chain/logger.ts";
import { CommittedStore } from "../../../chain/store/committed-store.ts";
import { SnapshotManager } from "../../../chain/snapshots/manager.ts";
import type { UpgradeNeeded } from "../../../chain/halt.ts";
import { upgradeHandlers } from "../../upgrades/index.ts";
import { leftoverCometbft, startCometbft } from "./cometbft.ts";
import { homePaths, readAppConfig } from "./home.ts";
import { startGrpcServer } from "../grpc/server.ts";
import { createGateway, startRestServer } from "../rest/server.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { startConsoleServer } from "../console/server.ts";
import { formatGasPrice } from "../../../chain/tx/min-gas-price.ts";
import { STATE_DB_FILE } from "../../../chain/store/state-db.ts";
import { startTelemetry } from "../telemetry/telemetry.ts";

export interface RunningNode {
  readonly app: App;
  readonly rpcUrl: string;
  readonly cometbft?: ChildProcess;
  /** Resolves with an exit code when the node stops (by stop() or because CometBFT exited). */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

export interface RunNodeOptions {
  /** Start and supervise CometBFT (default). false: serve ABCI only, CometBFT is run by someone else. */
  readonly withCometbft?: boolean;
  readonly log?: Logger;
  /** `--log_format`: overrides app.toml's log-format. */
  readonly logFormat?: LogFormat;
  readonly onCommit?: ConstructorParameters<typeof App>[0]["onCommit"];
}

/** `arod start`: the ABCI app on its socket, then CometBFT against it; both stop together. */
export async function runNode(home: string, o: RunNodeOptions = {}): Promise<RunningNode> {
  const cfg = readAppConfig(home);
  // The API descriptors are consensus rules too (amino JSON sign bytes): a node without them would
  // refuse amino-signed txs the others accept, so it does not start.
  apiRegistry();
  const paths = homePaths(home);
  const log = o.log ?? createLogger(cfg.logLevel, "arod", o.logFormat ?? cfg.logFormat);
  if (o.withCometbft !== false) await stopLeftoverCometbft(paths.cometPidFile, log);
  let store: CommittedStore;
  try {
    store = await CommittedStore.open(paths.appDb, { pruning: cfg.pruning, cacheNodes: cfg.iavlCacheSize, cacheValues: cfg.interBlockCacheSize });
  } catch (err) {
    if ((err as { code?: string }).code === "STORE_LOCKED") throw new Error(`${paths.appDb} is in use: is another arod running with --home ${home}?`);
    throw err;
  }
  let halt: ((height: bigint, broken: string[]) => void) | undefined;
  let onUpgradeNeeded: ((plan: UpgradeNeeded["plan"]) => void) | undefined;
  const onCommit = (height: bigint, state: Parameters<NonNullable<RunNodeOptions["onCommit"]>>[1]) => {
    o.onCommit?.(height, state);
    if (cfg.invCheckPeriod > 0 && height % BigInt(cfg.invCheckPeriod) === 0n) {
      const broken = app.invariants(state);
      if (broken.length) halt?.(height, broken);
    }
  };
  const snapshots = new SnapshotManager(store, { dir: paths.snapshots, interval: cfg.snapshotInterval, keepRecent: cfg.snapshotKeepRecent, log });
  const retain = { minRetainBlocks: cfg.minRetainBlocks, snapshotInterval: cfg.snapshotInterval, snapshotKeepRecent: cfg.snapshotKeepRecent };
  const app = new App({ store, modules: createModules({ upgradeHandlers }), ante: anteHandler, log, minGasPrice: cfg.minGasPrice, rpcUrl: cfg.rpcUrl, onCommit, retain, snapshots, onUpgradeNeeded: (plan) => onUpgradeNeeded?.(plan),
consensusKeyOf });
  // [telemetry]: Prometheus metrics, the ABCI calls measured around the app (none when off)
  const telemetry = cfg.servers.telemetry.enabled
    ? await startTelemetry(cfg.servers.telemetry.address, { store, decodeCache: app.decodeCache, dbFile: path.join(paths.appDb, STATE_DB_FILE) }, log).catch(async (err) => {
      await store.close();
      throw err;
    })
    : undefined;
  // the REST gateway's routing and its methods over CometBFT's RPC: one for REST, the console and gRPC
  const gateway = createGateway({ rpcUrl: cfg.rpcUrl, appPaths: app.queries.paths, abciQuery: (q) => app.query({ ...q }), appVersion: APP_VERSION });
  // [grpc]: the app's query services, the tx service, cosmos.base.tendermint and reflection (grpcurl)
  const grpcServer = cfg.servers.grpc.enable
    ? await startGrpcServer({ address: cfg.servers.grpc.address, query: (req) => app.query(req), paths: app.queries.paths, local: gateway, log }).catch(async (err) => {
      await telemetry?.close();
      await store.close();
      throw err;
    })
    : undefined;
  const server = new AbciServer(telemetry ? telemetry.meter(app) : app, log);
  await server.listen(cfg.abciAddress);
  fs.writeFileSync(paths.pidFile, String(process.pid));
  log.info("ABCI server listening", { address: cfg.abciAddress, height: String(store.lastCommitted.height) });
  // [api]: the REST (LCD) gateway over the app's queries and CometBFT's RPC
  const api = cfg.servers.api;
  const rest = api.enable
    ? await startRestServer({
      gateway, address: api.address, cors: api.cors, maxOpenConnections: api.maxOpenConnections, rpcUrl: cfg.rpcUrl, appPaths: app.queries.paths,
      abciQuery: (q) => app.query({ ...q }), appVersion: APP_VERSION, log,
    })
    : undefined;
  // [console]: the web console, answering the REST routes on its own address through the same gateway
  const web = cfg.servers.console;
  const consoleServer = web.enable
    ? await startConsoleServer({
      address: web.address, log, minGasPrice: cfg.minGasPrice && formatGasPrice(cfg.minGasPrice), rpcUrl: cfg.rpcUrl,
      gateway,
    })
    : undefined;

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (cometbft && cometbft.exitCode === null && cometbft.signalCode === null) {
      const exited = new Promise((r) => cometbft!.once("exit", r));
      cometbft.kill("SIGTERM");
      const timer = setTimeout(() => cometbft!.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await consoleServer?.close();
    await rest?.close();
    await server.drain();
    await server.close();
    await grpcServer?.stop();
    await telemetry?.close();
    await store.close();
    fs.rmSync(paths.pidFile, { force: true });
    fs.rmSync(paths.cometPidFile, { force: true });
    log.info("arod stopped");
    resolveDone(code);
  };

  onUpgradeNeeded = (plan) => {
    fs.writeFileSync(path.join(home, "data", "upgrade-info.json"), JSON.stringify({ name: plan.name, height: Number(plan.height), info: plan.info }) + "\n");
    log.error(`UPGRADE "${plan.name}" NEEDED at height: ${plan.height}: ${plan.info}`, { upgradeInfo: path.join(home, "data", "upgrade-info.json") });
    void shutdown(1);
  };

  halt = (height, broken) => {
    log.error("invariant broken: stopping the node", { height: String(height), broken });
    void shutdown(2);
  };

  let cometbft: ChildProcess | undefined;
  if (o.withCometbft !== false) {
    cometbft = startCometbft(home, paths.cometLog);
    fs.writeFileSync(paths.cometPidFile, String(cometbft.pid));
    log.info("cometbft started", { pid: cometbft.pid, log: paths.cometLog, rpc: cfg.rpcUrl });
    cometbft.on("exit", (code, signal) => {
      if (stopping) return;
      log.error("cometbft exited; stopping arod", { code, signal, log: paths.cometLog });
      void shutdown(1);
    });
  }
  const stop = async () => {
    await shutdown(0);
    await done;
  };
  return { app, rpcUrl: cfg.rpcUrl, cometbft, done, stop };
}

/** Stops a cometbft that a previous arod left running for this home (e.g. after kill -9 where setpriv is missing). */
async function stopLeftoverCometbft(pidFile: string, log: Logger): Promise<void> {
  const pid = leftoverCometbft(pidFile);
  if (!pid) return;
  log.warn("a cometbft from a previous arod is still running for this home: stopping it", { pid });
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && leftoverCometbft(pidFile) === pid; i++) await new Promise((r) => setTimeout(r, 100));
  if (leftoverCometbft(pidFile) === pid) process.kill(pid, "SIGKILL");
}
