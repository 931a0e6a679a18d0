import fs from "node:fs";
import path from "node:path";
import { parseCoins } from "../../chain/coins.ts";
import { addGenesisAccount, addGenesisAccounts, initHome, readGenesis, writeGenesis } from "../arod/node/init.ts";
import { homePaths } from "../arod/node/home.ts";
import { setTomlValue } from "../common/toml-edit.ts";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { DEMO_FUNDS } from "../arod/cli/devnet.ts";
import { addGenesisValidator } from "../../modules/staking/genesis-builder.ts";
import { busyPorts, portsOf } from "./ports.ts";

export const TESTNET_CHAIN_ID = "aro-testnet-1";
export const TESTNET_FILE = "testnet.json";
export const VALIDATOR_FUNDS = "200000000000uaro";
/** 100,000 aro each: voting power 100,000. */
export const VALIDATOR_SELF_BOND = 100_000_000_000n;

export interface ValidatorEntry {
  readonly index: number;
  readonly moniker: string;
  readonly home: string;
  readonly rpc: string;
  readonly p2p: string;
  readonly abci: string;
  readonly nodeId: string;
  pids: { arod?: number; cometbft?: number };
  /** "full": a node added later by `arod testnet join` (no stake); validators have none. */
  readonly role?: "full";
  operator?: string;
  valoper?: string;
}

export interface TestnetInfo {
  readonly chain_id: string;
  readonly home: string;
  readonly demo_address: string;
  readonly demo_mnemonic_file: string;
  readonly validators: ValidatorEntry[];
}

export interface CreateOptions {
  readonly validators: number;
  readonly basePort: number;
  readonly timeoutCommit: string;
  /** More genesis accounts (benchmarks fund their senders here). */
  readonly accounts?: ReadonlyArray<{ address: string; coins: string }>;
  /** app.toml overrides for every validator: [section ("" for top level), key, value]. */
  readonly app?: ReadonlyArray<[string, string, string | number | boolean]>;
  /** config.toml overrides for every validator: [section, key, value]. */
  readonly comet?: ReadonlyArray<[string, string, string | number | boolean]>;
  /** Last changes to the genesis every validator gets (e.g. short epochs). */
  readonly editGenesis?: (genesis: Record<string, any>) => void;
}

/**
 * Epochs of `length` blocks with GPoW and watcher windows to match, so a local network
 * settles work within a minute or two instead of an hour.
 */
export function shortEpochs(genesis: Record<string, any>, length: number): void {
  const s = genesis.app_state;
  const window = Math.max(4, Math.floor(length / 2)).toString();
  Object.assign(s.settlement.params, { epochLength: length.toString() });
  // a job's commit and reveal windows are a whole epoch each: fetching its wasm and input and running it must fit on a busy laptop
  Object.assign(s.gpow.params, { claimWindow: window, proofWindow: window, storageWindow: window, commitWindow: Math.max(8, length).toString(), revealWindow: Math.max(8, length).toString() });
  Object.assign(s.watcher.params, { attestWindow: window });
}


/**
 * Generates an N-validator network in `dir`: one home per validator (own keys and
 * ports), one genesis with every validator and identical app state, a funded demo
 * account, and each node peered with all others.
 */
export async function createTestnet(dir: string, o: CreateOptions): Promise<TestnetInfo> {
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > 20) throw new Error("--validators must be between 1 and 20");
  const busy = await busyPorts(o.basePort, o.validators);
  if (busy.length > 0) throw new Error(`ports in use: ${busy.join(", ")}; choose another --base-port`);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(path.join(dir, TESTNET_FILE))) throw new Error(`${dir} exists and is not a testnet folder: choose another --home`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, TESTNET_FILE), "{}\n"); // marks the folder as ours first

  const validators: ValidatorEntry[] = [];
  for (let i = 0; i < o.validators; i++) {
    const home = path.join(dir, `node${i}`);
    const ports = portsOf(o.basePort, i);
    const { nodeId } = initHome(home, { moniker: `validator-${i}`, chainId: TESTNET_CHAIN_ID, rpcPort: ports.rpc, p2pPort: ports.p2p, abciPort: ports.abci, apiPort: ports.api, grpcPort: ports.grpc, metricsPort: ports.metrics, consolePort: ports.console, timeoutCommit: o.timeoutCommit });
    validators.push({
      index: i, moniker: `validator-${i}`, home, nodeId,
      rpc: `http://127.0.0.1:${ports.rpc}`, p2p: `127.0.0.1:${ports.p2p}`, abci: `tcp://127.0.0.1:${ports.abci}`, pids: {},
    });
  }

  const genesisHome = validators[0].home;
  const keyring = new Keyring(dir, "test");
  const demo = await keyring.add("demo");
  fs.writeFileSync(path.join(dir, "demo.mnemonic"), demo.mnemonic + "\n", { mode: 0o600 });
  addGenesisAccount(genesisHome, demo.address, parseCoins(DEMO_FUNDS));
  addGenesisAccounts(genesisHome, (o.accounts ?? []).map((a) => ({ address: a.address, coins: parseCoins(a.coins) })));
  // Each validator: an operator key (in DIR/keyring-test), funded, self-bonded through x/staking.
  for (const v of validators) addGenesisAccount(genesisHome, (await keyring.add(v.moniker)).address, parseCoins(VALIDATOR_FUNDS));
  const genesis = readGenesis(genesisHome);
  o.editGenesis?.(genesis);
  for (const v of validators) {
    const key = JSON.parse(fs.readFileSync(path.join(v.home, "config", "priv_validator_key.json"), "utf8"));
    v.operator = keyring.show(v.moniker).address;
    v.valoper = addGenesisValidator(genesis, { operator: v.operator, consensusKey: key.pub_key.value, selfBond: VALIDATOR_SELF_BOND, moniker: v.moniker });
  }
  for (const v of validators) {
    writeGenesis(v.home, genesis);
    const cfgPath = homePaths(v.home).cometConfig;
    const peers = validators.filter((p) => p !== v).map((p) => `${p.nodeId}@${p.p2p}`).join(",");
    let cfg = setTomlValue(fs.readFileSync(cfgPath, "utf8"), "p2p", "persistent_peers", peers);
    // a development network: wallets and explorers in a browser (Keplr, ping.pub) read its RPC and REST
    cfg = setTomlValue(cfg, "rpc", "cors_allowed_origins", ["*"]);
    for (const [section, key, value] of o.comet ?? []) cfg = setTomlValue(cfg, section, key, value);
    fs.writeFileSync(cfgPath, cfg);
    const appPath = homePaths(v.home).appConfig;
    let appCfg = setTomlValue(fs.readFileSync(appPath, "utf8"), "api", "enabled-unsafe-cors", true);
    for (const [section, key, value] of o.app ?? []) appCfg = setTomlValue(appCfg, section, key, value);
    fs.writeFileSync(appPath, appCfg);
  }
  const info: TestnetInfo = { chain_id: TESTNET_CHAIN_ID, home: dir, demo_address: demo.address, demo_mnemonic_file: path.join(dir, "demo.mnemonic"), validators };
  writeTestnetInfo(info);
  return info;
}

export function writeTestnetInfo(info: TestnetInfo): void {
  fs.writeFileSync(path.join(info.home, TESTNET_FILE), JSON.stringify(info, null, 2) + "\n");
}

export function readTestnetInfo(dir: string): TestnetInfo {
  const file = path.join(dir, TESTNET_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: create the network with \`arod testnet start --home ${dir}\``);
  const info = JSON.parse(fs.readFileSync(file, "utf8")) as TestnetInfo;
  if (!info.validators) throw new Error(`${file} is incomplete: the network was never fully created`);
  return info;
}
