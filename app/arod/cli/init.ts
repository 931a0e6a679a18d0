import { Command, Option } from "commander";
import { parseCoins } from "../../../chain/coins.ts";
import fs from "node:fs";
import { addGenesisAccount, addGenesisValidatorFromHome, initHome } from "../node/init.ts";
import { getTomlValue } from "../../common/toml-edit.ts";
import { homePaths } from "../node/home.ts";
import { DEFAULT_API_PORT, DEFAULT_CONSOLE_PORT, DEFAULT_GRPC_PORT, DEFAULT_METRICS_PORT } from "../node/server-config.ts";
import { action, keyringOption } from "../../common/cli.ts";
import { homeOption, openKeyring } from "./options.ts";

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port ${v}`);
  return n;
};

export function initCommand(): Command {
  return new Command("init")
    .argument("<moniker>", "a name for this node")
    .description("create a node home: CometBFT config and validator key, app.toml and a default genesis")
    .addOption(homeOption())
    .requiredOption("--chain-id <id>", "chain id of the new network")
    .addOption(new Option("--rpc-port <port>", "CometBFT RPC port on 127.0.0.1").argParser(port).default(26657))
    .addOption(new Option("--p2p-port <port>", "CometBFT P2P port on 127.0.0.1").argParser(port).default(26656))
    .addOption(new Option("--abci-port <port>", "port between CometBFT and arod on 127.0.0.1").argParser(port).default(26658))
    .addOption(new Option("--api-port <port>", "REST (app.toml [api]) port on 127.0.0.1").argParser(port).default(DEFAULT_API_PORT))
    .addOption(new Option("--grpc-port <port>", "gRPC (app.toml [grpc]) port on 127.0.0.1").argParser(port).default(DEFAULT_GRPC_PORT))
    .addOption(new Option("--metrics-port <port>", "Prometheus metrics (app.toml [telemetry]) port on 127.0.0.1").argParser(port).default(DEFAULT_METRICS_PORT))
    .addOption(new Option("--console-port <port>", "web console (app.toml [console]) port on 127.0.0.1").argParser(port).default(DEFAULT_CONSOLE_PORT))
    .option("--timeout-commit <duration>", "CometBFT consensus.timeout_commit", "1s")
    .option("--overwrite", "replace an existing genesis and app.toml")
    .action(action((moniker: string, o) => {
      const { nodeId } = initHome(o.home, { moniker, chainId: o.chainId, rpcPort: o.rpcPort, p2pPort: o.p2pPort, abciPort: o.abciPort, apiPort: o.apiPort, grpcPort: o.grpcPort, metricsPort: o.metricsPort, consolePort: o.consolePort, timeoutCommit: o.timeoutCommit, overwrite: o.overwrite });
      console.log(JSON.stringify({ moniker, chain_id: o.chainId, node_id: nodeId, home: o.home, genesis: homePaths(o.home).genesis }, null, 2));
    }));
}

export function genesisCommand(): Command {
  const genesis = new Command("genesis").description("edit the genesis file before the chain starts");
  genesis
    .command("add-account <address-or-key> <coins>")
    .description("add an account with a balance, e.g. `arod genesis add-account alice 1000000000uaro`")
    .addOption(homeOption())
    .addOption(keyringOption())
    .action(action((who: string, coins: string, o) => {
      const address = who.startsWith("aro1") ? who : openKeyring(o.home, o.keyringBackend).show(who).address;
      addGenesisAccount(o.home, address, parseCoins(coins));
      console.log(`added ${address} with ${coins} to ${homePaths(o.home).genesis}`);
    }));
  genesis
    .command("add-validator <operator> <self-bond>")
    .description("make this node's consensus key (config/priv_validator_key.json) a genesis validator, self-bonded by <operator> (key name or address, funded in genesis), e.g. `arod genesis add-validator alice 1000000000uaro`")
    .addOption(homeOption())
    .addOption(keyringOption())
    .option("--moniker <name>", "validator name (default: the node's moniker)")
    .option("--commission-rate <dec>", "commission rate", "0.1")
    .option("--commission-max-rate <dec>", "highest commission rate ever allowed", "0.2")
    .option("--commission-max-change-rate <dec>", "largest change of the rate per day", "0.01")
    .option("--min-self-delegation <amount>", "self-delegation below which the validator is jailed", "1")
    .action(action((who: string, bond: string, o) => {
      const operator = who.startsWith("aro1") ? who : openKeyring(o.home, o.keyringBackend).show(who).address;
      const coins = parseCoins(bond);
      if (coins.length !== 1) throw new Error("the self-bond is one coin, e.g. 1000000000uaro");
      const moniker = o.moniker ?? getTomlValue(fs.readFileSync(homePaths(o.home).cometConfig, "utf8"), "", "moniker") ?? "validator";
      const valoper = addGenesisValidatorFromHome(o.home, {
        operator, selfBond: coins[0].amount, denom: coins[0].denom, moniker, commissionRate: o.commissionRate, commissionMaxRate: o.commissionMaxRate,
        commissionMaxChangeRate: o.commissionMaxChangeRate, minSelfDelegation: BigInt(o.minSelfDelegation),
      });
      console.log(`added genesis validator ${valoper} (${moniker}) with a self-bond of ${bond}`);
    }));
  return genesis;
}
