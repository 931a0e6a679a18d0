import { Command } from "commander";
import { APP_VERSION } from "../../../chain/app.ts";
import { devnetCommand } from "./devnet.ts";
import { debugCommand, exportCommand } from "./export.ts";
import { genesisCommand, initCommand } from "./init.ts";
import { keysCommand } from "./keys.ts";
import { queryCommand } from "./query.ts";
import { startCommand } from "./start.ts";
import { statusCommand } from "./status.ts";
import { testnetCommand } from "./testnet.ts";
import { txCommand } from "./tx.ts";

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
  .addCommand(exportCommand())
  .addCommand(debugCommand());

await program.parseAsync(process.argv);
