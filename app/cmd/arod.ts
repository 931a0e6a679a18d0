import { Command } from "commander";
import { APP_VERSION } from "../../chain/app.ts";
import { devnetCommand } from "../arod/cli/devnet.ts";
import { debugCommand, exportCommand } from "../arod/cli/export.ts";
import { genesisCommand, initCommand } from "../arod/cli/init.ts";
import { keysCommand } from "../arod/cli/keys.ts";
import { queryCommand } from "../arod/cli/query.ts";
import { startCommand } from "../arod/cli/start.ts";
import { chainInfoCommand } from "../arod/cli/chain-info.ts";
import { statusCommand } from "../arod/cli/status.ts";
import { testnetCommand } from "../testnet/command.ts";
import { txCommand } from "../arod/cli/tx.ts";

const program = new Command("arod")
  .description("Aro chain daemon: a TypeScript ABCI 2.0 app on CometBFT v0.38, Cosmos SDK wire compatible")
  .version(APP_VERSION)
  .showHelpAfterError()
  .addCommand(initCommand())
  .addCommand(keysCommand())
  .addCommand(genesisCommand())
  .addCommand(startCommand())
  .addCommand(devnetCommand())
  .addCommand(testnetCommand())
  .addCommand(txCommand())
  .addCommand(queryCommand())
  .addCommand(statusCommand())
  .addCommand(chainInfoCommand())
  .addCommand(exportCommand())
  .addCommand(debugCommand());

await program.parseAsync(process.argv);
