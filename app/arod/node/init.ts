import fs from "node:fs";
import path from "node:path";
import { addGenesisValidator, type GenesisValidatorOptions } from "../../../modules/staking/genesis-builder.ts";
import { createModules } from "../../../modules/index.ts";
import { validateAddress } from "../../../chain/address.ts";
import { toWireCoins, sumAmounts, type Amount } from "../../../chain/coins.ts";
import { runCometbft } from "./cometbft.ts";
import { APP_TOML, homePaths } from "./home.ts";
import { serverSectionsToml, type ServerPorts } from "./server-config.ts";
import { setTomlValue } from "../../common/toml-edit.ts";

export interface InitOptions extends ServerPorts {
  readonly moniker: string;
  readonly chainId: string;
  readonly rpcPort?: number;
  readonly p2pPort?: number;
  readonly abciPort?: number;
  /** CometBFT consensus.timeout_commit, e.g. "1s". */
  readonly timeoutCommit?: string;
  /** Gas a block may use (consensus param block.max_gas). */
  readonly maxBlockGas?: bigint;
  readonly overwrite?: boolean;
}

export const DEFAULT_MAX_BLOCK_GAS = 100_000_000n;
const CHAIN_ID_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,47}$/;

type Genesis = Record<string, any>;

export function readGenesis(home: string): Genesis {
  return JSON.parse(fs.readFileSync(homePaths(home).genesis, "utf8"));
}

export function writeGenesis(home: string, genesis: Genesis): void {
  fs.writeFileSync(homePaths(home).genesis, JSON.stringify(genesis, null, 2) + "\n");
}

/** Creates a node home: CometBFT config and keys, app.toml, and a genesis with every module's defaults. */
export function initHome(home: string, o: InitOptions): { nodeId: string } {
  const p = homePaths(home);
  if (!CHAIN_ID_RE.test(o.chainId)) throw new Error(`invalid chain id ${JSON.stringify(o.chainId)}: letters, digits, "-", "_", "." (max 48)`);
  if (fs.existsSync(p.genesis) && !o.overwrite) throw new Error(`${p.genesis} already exists (use --overwrite to replace it)`);
  if (o.overwrite) fs.rmSync(p.genesis, { force: true });
  runCometbft(["init", "--home", home]);

  let cfg = fs.readFileSync(p.cometConfig, "utf8");
  cfg = setTomlValue(cfg, "", "moniker", o.moniker);
  cfg = setTomlValue(cfg, "", "proxy_app", `tcp://127.0.0.1:${o.abciPort ?? 26658}`);
  cfg = setTomlValue(cfg, "rpc", "laddr", `tcp://127.0.0.1:${o.rpcPort ?? 26657}`);
  cfg = setTomlValue(cfg, "p2p", "laddr", `tcp://127.0.0.1:${o.p2pPort ?? 26656}`);
  cfg = setTomlValue(cfg, "p2p", "addr_book_strict", false);
  cfg = setTomlValue(cfg, "p2p", "allow_duplicate_ip", true);
  cfg = setTomlValue(cfg, "consensus", "timeout_commit", o.timeoutCommit ?? "1s");
  cfg = setTomlValue(cfg, "tx_index", "indexer", "kv");
  fs.writeFileSync(p.cometConfig, cfg);
  if (!fs.existsSync(p.appConfig) || o.overwrite) fs.writeFileSync(p.appConfig, APP_TOML + serverSectionsToml(o));

  const genesis = readGenesis(home);
  genesis.chain_id = o.chainId;
  genesis.initial_height = "1";
  genesis.consensus_params.block.max_gas = String(o.maxBlockGas ?? DEFAULT_MAX_BLOCK_GAS);
  // vote extensions from the first block on: the randomness beacon (chain/beacon.ts) needs them
  genesis.consensus_params.abci = { ...genesis.consensus_params.abci, vote_extensions_enable_height: "1" };
  genesis.app_state = Object.fromEntries(createModules().filter((m) => m.defaultGenesis).map((m) => [m.name, m.defaultGenesis!()]));
  writeGenesis(home, genesis);
  return { nodeId: runCometbft(["show-node-id", "--home", home]).trim() };
}

/** `genesis add-validator`: the node's own consensus key as a validator bonded by `operator`. */
export function addGenesisValidatorFromHome(home: string, o: Omit<GenesisValidatorOptions, "consensusKey">): string {
  const key = JSON.parse(fs.readFileSync(path.join(homePaths(home).config, "priv_validator_key.json"), "utf8"));
  const genesis = readGenesis(home);
  const valoper = addGenesisValidator(genesis, { ...o, consensusKey: key.pub_key.value });
  writeGenesis(home, genesis);
  return valoper;
}

/** `genesis add-account`: a base account with a balance (both in the SDK's JSON shapes). */
export function addGenesisAccount(home: string, address: string, coins: readonly Amount[]): void {
  addGenesisAccounts(home, [{ address, coins }]);
}

/** Funds many accounts with one read and write of genesis.json. */
export function addGenesisAccounts(home: string, accounts: ReadonlyArray<{ address: string; coins: readonly Amount[] }>): void {
  const genesis = readGenesis(home);
  const auth = genesis.app_state.auth;
  const bank = genesis.app_state.bank;
  const known = new Set<string>(auth.accounts.map((a: any) => a.address));
  for (const { address, coins } of accounts) {
    validateAddress(address);
    if (known.has(address)) throw new Error(`account ${address} is already in genesis`);
    known.add(address);
    auth.accounts.push({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address, pub_key: null, account_number: String(auth.accounts.length), sequence: "0" });
    bank.balances.push({ address, coins: toWireCoins(coins) });
  }
  const supply = sumAmounts(bank.balances.map((b: any) => b.coins.map((c: any) => ({ denom: c.denom, amount: BigInt(c.amount) }))));
  bank.supply = toWireCoins(supply);
  writeGenesis(home, genesis);
}
