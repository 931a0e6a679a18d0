import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parseGasPrice, type GasPrice } from "../../../chain/tx/min-gas-price.ts";
import { getTomlValue } from "../../common/toml-edit.ts";

export const DEFAULT_HOME = path.join(os.homedir(), ".arod");

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
    cometLog: path.join(home, "cometbft.log"),
    pidFile: path.join(home, "arod.pid"),
    cometPidFile: path.join(home, "cometbft.pid"),
  };
}

export const APP_TOML = `# arod application settings (CometBFT's own settings are in config.toml).

# The smallest fee per unit of gas this node accepts into its mempool, e.g. "0.025uaro".
# A node-local policy, checked in CheckTx only; blocks are not judged by it.
minimum-gas-prices = "0.025uaro"

# How many recent heights stay queryable (abci_query at a past height).
keep-recent = 100

# debug | info | warn | error
log-level = "info"

# Check every module's invariants (e.g. total supply = sum of balances) every N blocks
# and stop the node if one breaks. 0 turns it off; tests run with 1.
inv-check-period = 0
`;

export interface AppConfig {
  readonly minGasPrice?: GasPrice;
  readonly keepRecent: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Check invariants every N blocks (0: never). */
  readonly invCheckPeriod: number;
  /** ABCI listen address, from config.toml proxy_app. */
  readonly abciAddress: string;
  /** CometBFT RPC, from config.toml [rpc] laddr, as an http URL. */
  readonly rpcUrl: string;
}

export function readAppConfig(home: string): AppConfig {
  const p = homePaths(home);
  if (!fs.existsSync(p.cometConfig)) throw new Error(`${p.cometConfig} not found: run \`arod init\` first (or pass --home)`);
  const app = fs.existsSync(p.appConfig) ? (parseToml(fs.readFileSync(p.appConfig, "utf8")) as Record<string, unknown>) : {};
  const comet = fs.readFileSync(p.cometConfig, "utf8");
  const mgp = String(app["minimum-gas-prices"] ?? "");
  const keepRecent = Number(app["keep-recent"] ?? 100);
  if (!Number.isInteger(keepRecent) || keepRecent < 2) throw new Error(`${p.appConfig}: keep-recent must be an integer >= 2`);
  const level = String(app["log-level"] ?? "info");
  if (!["debug", "info", "warn", "error"].includes(level)) throw new Error(`${p.appConfig}: log-level must be debug, info, warn or error`);
  const rpc = getTomlValue(comet, "rpc", "laddr") ?? "tcp://127.0.0.1:26657";
  const invCheckPeriod = Number(app["inv-check-period"] ?? 0);
  if (!Number.isInteger(invCheckPeriod) || invCheckPeriod < 0) throw new Error(`${p.appConfig}: inv-check-period must be an integer >= 0`);
  return {
    minGasPrice: mgp ? parseGasPrice(mgp) : undefined,
    keepRecent,
    logLevel: level as AppConfig["logLevel"],
    invCheckPeriod,
    abciAddress: getTomlValue(comet, "", "proxy_app") ?? "tcp://127.0.0.1:26658",
    rpcUrl: rpc.replace(/^tcp:\/\//, "http://").replace("0.0.0.0", "127.0.0.1"),
  };
}
