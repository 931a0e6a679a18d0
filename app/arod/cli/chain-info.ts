import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { APP_VERSION } from "../../../chain/app.ts";
import { parseGasPrice } from "../../../chain/tx/min-gas-price.ts";
import { action, print } from "../../common/cli.ts";
import { endpointsOf } from "../chain-info/endpoints.ts";
import { readChainFacts } from "../chain-info/facts.ts";
import { keplrChainInfo } from "../chain-info/keplr.ts";
import { NETWORK_TYPES, registryFiles, type NetworkType } from "../chain-info/registry.ts";
import { readAppConfig } from "../node/home.ts";
import { homeOption } from "./options.ts";

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * `arod chain-info`: Keplr's ChainInfo for window.keplr.experimentalSuggestChain, and with
 * --registry DIR the Cosmos chain registry's chain.json and assetlist.json, for the node of
 * --home: its endpoints from config.toml and app.toml (or the public URLs given), the chain id
 * and denoms from the running node (from genesis.json when it is not running), fees from its
 * minimum gas price.
 */
export function chainInfoCommand(): Command {
  return new Command("chain-info")
    .description("print Keplr's chain info (experimentalSuggestChain) for this node's chain; --registry DIR also writes chain-registry chain.json and assetlist.json")
    .addOption(homeOption())
    .option("--rpc <url>", "public CometBFT RPC URL (default: config.toml [rpc] laddr)")
    .option("--rest <url>", "public REST URL (default: app.toml [api] address)")
    .option("--grpc <host:port>", "public gRPC address (default: app.toml [grpc] address)")
    .addOption(new Option("--network-type <type>", "mainnet, testnet or devnet").choices(NETWORK_TYPES).default("devnet"))
    .option("--chain-name <name>", 'the name wallets show (default: "Aro", "Aro Testnet" or "Aro Devnet")')
    .option("--registry-name <name>", "the registry's chain_name, lower-case letters and digits (default: aro, arotestnet or arodevnet)")
    .option("--gas-price <price>", "the minimum gas price wallets pay, e.g. 0.025uaro (default: app.toml minimum-gas-prices)")
    .option("--provider <name>", "who runs the endpoints (the registry's provider)")
    .option("--from-genesis", "read the chain id and denoms from genesis.json even when the node is running")
    .option("--registry <dir>", "also write <dir>/chain.json and <dir>/assetlist.json")
    .action(action(async (o) => {
      const networkType = o.networkType as NetworkType;
      const endpoints = endpointsOf(o.home, { rpc: o.rpc, rest: o.rest, grpc: o.grpc });
      const cfg = readAppConfig(o.home);
      const facts = await readChainFacts(o.home, cfg.rpcUrl, !!o.fromGenesis);
      console.error(facts.source === "node" ? `chain-info: read from the running node at ${cfg.rpcUrl}` : `chain-info: no node answers at ${cfg.rpcUrl} (or --from-genesis): read from genesis.json`);
      const minGasPrice = o.gasPrice ? parseGasPrice(o.gasPrice) : cfg.minGasPrice ?? parseGasPrice(`0${facts.bondDenom}`);
      const suffix = networkType === "mainnet" ? "" : networkType;
      const chainName = o.chainName ?? `Aro${suffix ? ` ${capitalized(suffix)}` : ""}`;
      print(keplrChainInfo(facts, endpoints, { chainName, minGasPrice, isTestnet: networkType !== "mainnet" }));
      if (o.registry) {
        const files = registryFiles(facts, endpoints, {
          chainName: o.registryName ?? `aro${suffix}`, prettyName: chainName, networkType, minGasPrice, appVersion: APP_VERSION, provider: o.provider,
        });
        fs.mkdirSync(o.registry, { recursive: true });
        for (const [name, json] of [["chain.json", files.chain], ["assetlist.json", files.assetlist]] as const) {
          fs.writeFileSync(path.join(o.registry, name), JSON.stringify(json, null, 2) + "\n");
          console.error(`chain-info: wrote ${path.join(o.registry, name)}`);
        }
      }
    }));
}
