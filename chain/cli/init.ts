import { Command, Option } from "commander";
import { parseCoins } from "../coins.ts";
import { addGenesisAccount, initHome } from "../node/init.ts";
import { homePaths } from "../node/home.ts";
import { action, homeOption, keyringOption, openKeyring } from "./common.ts";

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
    .option("--timeout-commit <duration>", "CometBFT consensus.timeout_commit", "1s")
    .option("--overwrite", "replace an existing genesis and app.toml")
    .action(action((moniker: string, o) => {
      const { nodeId } = initHome(o.home, { moniker, chainId: o.chainId, rpcPort: o.rpcPort, p2pPort: o.p2pPort, abciPort: o.abciPort, timeoutCommit: o.timeoutCommit, overwrite: o.overwrite });
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
  return genesis;
}
