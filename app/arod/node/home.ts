import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parseGasPrice, type GasPrice } from "../../../chain/tx/min-gas-price.ts";
import { pruningFromConfig, type PruningOptions } from "../../../chain/store/pruning.ts";
import { DEFAULT_CACHE_NODES } from "../../../chain/store/state-db.ts";
import { DEFAULT_CACHE_VALUES } from "../../../chain/store/value-cache.ts";
import { getTomlValue } from "../../common/toml-edit.ts";
import { LOG_FORMATS, type LogFormat } from "../../../chain/logger.ts";
import { serverConfigFrom, type ServerConfig } from "./server-config.ts";

export { DEFAULT_HOME } from "./default-home.ts";

/** Where a node keeps its files (one home for CometBFT and the app, as SDK daemons do). */
export function homePaths(home: string) {
  return {
    home,
    config: path.join(home, "config"),
    cometConfig: path.join(home, "config", "config.toml"),
    appConfig: path.join(home, "config", "app.toml"),
    genesis: path.join(home, "config", "genesis.json"),
    data: path.join(home, "data"),
    appDb: path.join(home, "data", "application.db"),
    snapshots: path.join(home, "data", "snapshots"),
    cometLog: path.join(home, "cometbft.log"),
    pidFile: path.join(home, "arod.pid"),
    cometPidFile: path.join(home, "cometbft.pid"),
  };
}

export const APP_TOML = `# arod application settings (CometBFT's own settings are in config.toml).

# The smallest fee per unit of gas this node accepts into its mempool, e.g. "0.025uaro".
# A node-local policy, checked in CheckTx only; blocks are not judged by it.
minimum-gas-prices = "0.025uaro"

# Which past states are kept (the Cosmos SDK's settings and meanings):
#   default:    the last 362880 states, pruned every 10 heights
#   nothing:    every state (an archive node)
#   everything: the last 2 states, pruned every 10 heights
#   custom:     pruning-keep-recent, pruning-keep-every and pruning-interval below
# A query at a pruned height answers sdk/26.
pruning = "default"
pruning-keep-recent = "0"
pruning-keep-every = "0"
pruning-interval = "0"

# Blocks CometBFT keeps (its retain_height): 0 keeps all; otherwise the last N, never fewer
# than state-sync snapshots or evidence still need.
min-retain-blocks = 0

# Decoded state-tree nodes kept in memory: with the block being built, what bounds arod's
# anonymous memory (a node takes ~1.4 KB in JavaScript, ~5x a Go node: the SDK's default
# of 781,250 would be ~1.1 GB). LMDB's mapped pages come on top; the kernel reclaims them.
iavl-cache-size = ${DEFAULT_CACHE_NODES}

# Latest committed values kept in memory (the SDK's inter-block cache, bounded): accounts,
# balances and parameters every tx reads. ~100 bytes an entry; 0 turns it off.
inter-block-cache-size = ${DEFAULT_CACHE_VALUES}

# debug | info | warn | error
log-level = "info"
# json: one JSON object per line (for log shippers) | plain: human-readable lines.
# \`arod start --log_format\` overrides it.
log-format = "json"

# Check every module's invariants (e.g. total supply = sum of balances) every N blocks
# and stop the node if one breaks. 0 turns it off; tests run with 1.
inv-check-period = 0

[state-sync]
# Take a state-sync snapshot every N heights (0: none); a new node can then join from it
# (CometBFT's [statesync] in config.toml) instead of replaying every block.
snapshot-interval = 0
# Snapshots kept on disk.
snapshot-keep-recent = 2
`;

export interface AppConfig {
  readonly minGasPrice?: GasPrice;
  readonly pruning: PruningOptions;
  readonly minRetainBlocks: number;
  readonly iavlCacheSize: number;
  readonly interBlockCacheSize: number;
  /** State-sync snapshots: every N heights (0: none), the last K kept. */
  readonly snapshotInterval: number;
  readonly snapshotKeepRecent: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** json (default) or plain (chain/logger.ts). */
  readonly logFormat: LogFormat;
  /** Check invariants every N blocks (0: never). */
  readonly invCheckPeriod: number;
  /** ABCI listen address, from config.toml proxy_app. */
  readonly abciAddress: string;
  /** CometBFT RPC, from config.toml [rpc] laddr, as an http URL. */
  readonly rpcUrl: string;
  /** The REST gateway, gRPC and metrics servers ([api], [grpc], [telemetry]). */
  readonly servers: ServerConfig;
}

export function readAppConfig(home: string): AppConfig {
  const p = homePaths(home);
  if (!fs.existsSync(p.cometConfig)) throw new Error(`${p.cometConfig} not found: run \`arod init\` first (or pass --home)`);
  const app = fs.existsSync(p.appConfig) ? (parseToml(fs.readFileSync(p.appConfig, "utf8")) as Record<string, unknown>) : {};
  const comet = fs.readFileSync(p.cometConfig, "utf8");
  const mgp = String(app["minimum-gas-prices"] ?? "");
  const pruning = pruningFromConfig(app, p.appConfig);
  const minRetainBlocks = Number(app["min-retain-blocks"] ?? 0);
  if (!Number.isSafeInteger(minRetainBlocks) || minRetainBlocks < 0) throw new Error(`${p.appConfig}: min-retain-blocks must be an integer >= 0`);
  const stateSync = (app["state-sync"] ?? {}) as Record<string, unknown>;
  const snapshotInterval = Number(stateSync["snapshot-interval"] ?? 0);
  if (!Number.isSafeInteger(snapshotInterval) || snapshotInterval < 0) throw new Error(`${p.appConfig}: [state-sync] snapshot-interval must be an integer >= 0`);
  const snapshotKeepRecent = Number(stateSync["snapshot-keep-recent"] ?? 2);
  if (!Number.isSafeInteger(snapshotKeepRecent) || snapshotKeepRecent < 1) throw new Error(`${p.appConfig}: [state-sync] snapshot-keep-recent must be an integer >= 1`);
  const iavlCacheSize = Number(app["iavl-cache-size"] ?? DEFAULT_CACHE_NODES);
  if (!Number.isSafeInteger(iavlCacheSize) || iavlCacheSize < 1000) throw new Error(`${p.appConfig}: iavl-cache-size must be an integer >= 1000`);
  const interBlockCacheSize = Number(app["inter-block-cache-size"] ?? DEFAULT_CACHE_VALUES);
  if (!Number.isSafeInteger(interBlockCacheSize) || interBlockCacheSize < 0) throw new Error(`${p.appConfig}: inter-block-cache-size must be an integer >= 0`);
  const level = String(app["log-level"] ?? "info");
  if (!["debug", "info", "warn", "error"].includes(level)) throw new Error(`${p.appConfig}: log-level must be debug, info, warn or error`);
  const logFormat = String(app["log-format"] ?? "json") as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) throw new Error(`${p.appConfig}: log-format must be json or plain`);
  const rpc = getTomlValue(comet, "rpc", "laddr") ?? "tcp://127.0.0.1:26657";
  const invCheckPeriod = Number(app["inv-check-period"] ?? 0);
  if (!Number.isInteger(invCheckPeriod) || invCheckPeriod < 0) throw new Error(`${p.appConfig}: inv-check-period must be an integer >= 0`);
  return {
    minGasPrice: mgp ? parseGasPrice(mgp) : undefined,
    pruning,
    minRetainBlocks,
    iavlCacheSize,
    interBlockCacheSize,
    snapshotInterval,
    snapshotKeepRecent,
    logLevel: level as AppConfig["logLevel"],
    logFormat,
    invCheckPeriod,
    abciAddress: getTomlValue(comet, "", "proxy_app") ?? "tcp://127.0.0.1:26658",
    rpcUrl: rpc.replace(/^tcp:\/\//, "http://").replace("0.0.0.0", "127.0.0.1"),
    servers: serverConfigFrom(app, p.appConfig),
  };
}
