import { Command } from "commander";
import { APP_VERSION } from "../../chain/version.ts";
import { addLazyCommands, type LazyCommand } from "../common/lazy-commands.ts";

/** arod's commands; each module is imported only when its command runs (app/common/lazy-commands.ts). */
export const AROD_COMMANDS: readonly LazyCommand[] = [
  { usage: "init <moniker>", summary: "create a node home: CometBFT config and validator key, app.toml and a default genesis", load: async () => (await import("../arod/cli/init.ts")).initCommand() },
  { usage: "keys", summary: "manage the keys of the local keyring (BIP39, secp256k1, coin type 118)", load: async () => (await import("../arod/cli/keys.ts")).keysCommand() },
  { usage: "genesis", summary: "edit the genesis file before the chain starts", load: async () => (await import("../arod/cli/init.ts")).genesisCommand() },
  { usage: "start", summary: "run the node: the arod ABCI app and the CometBFT process it supervises (both stop together)", load: async () => (await import("../arod/cli/start.ts")).startCommand() },
  { usage: "devnet", summary: "start a fresh single-validator chain on 127.0.0.1 with a funded demo account (Ctrl-C stops it)", load: async () => (await import("../arod/cli/devnet.ts")).devnetCommand() },
  { usage: "testnet", summary: "a local multi-validator network on 127.0.0.1 (each validator its own arod + cometbft)", load: async () => (await import("../testnet/command.ts")).testnetCommand() },
  { usage: "tx", summary: "sign and broadcast transactions; --generate-only, sign and broadcast for offline signing", load: async () => (await import("../arod/cli/tx.ts")).txCommand() },
  { usage: "query", aliases: ["q"], summary: "read chain state from a node", load: async () => (await import("../arod/cli/query.ts")).queryCommand() },
  { usage: "status", summary: "show a node's chain id, height, app hash and sync state", load: async () => (await import("../arod/cli/status.ts")).statusCommand() },
  { usage: "chain-info", summary: "print Keplr's chain info for this node's chain (--registry DIR: chain-registry chain.json and assetlist.json)", load: async () => (await import("../arod/cli/chain-info.ts")).chainInfoCommand() },
  { usage: "export", summary: "print the state of a stopped node as a genesis file (to restart a network from it)", load: async () => (await import("../arod/cli/export.ts")).exportCommand() },
  { usage: "debug", summary: "tools for operators", load: async () => (await import("../arod/cli/export.ts")).debugCommand() },
  { usage: "version", summary: "print arod's version (--long: with its name and Node.js version)", load: async () => (await import("../arod/cli/version.ts")).versionCommand() },
];

const program = new Command("arod")
  .description("Aro chain daemon: a TypeScript ABCI 2.0 app on CometBFT v0.38, Cosmos SDK wire compatible")
  .version(APP_VERSION)
  .showHelpAfterError();
await addLazyCommands(program, AROD_COMMANDS, process.argv.slice(2));
await program.parseAsync(process.argv);
