import { Command, Option } from "commander";
import { LOG_FORMATS } from "../../../chain/logger.ts";
import { runNode } from "../node/run-node.ts";
import { action } from "../../common/cli.ts";
import { homeOption } from "./options.ts";

/** Stops the node on SIGINT/SIGTERM and exits with its code. */
export async function runUntilSignal(node: Awaited<ReturnType<typeof runNode>>): Promise<void> {
  const onSignal = () => void node.stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const code = await node.done;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.exit(code);
}

export function startCommand(): Command {
  return new Command("start")
    .description("run the node: the arod ABCI app and the CometBFT process it supervises (both stop together)")
    .addOption(homeOption())
    .option("--abci-only", "serve ABCI only; CometBFT is started separately (`cometbft start --home <home>`)")
    .addOption(new Option("--log_format <format>", "json (one JSON object per line) or plain (readable lines); default: app.toml's log-format").choices(LOG_FORMATS))
    .action(action(async (o) => {
      const node = await runNode(o.home, { withCometbft: !o.abciOnly, logFormat: o.log_format });
      await runUntilSignal(node);
    }));
}
