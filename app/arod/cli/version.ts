import { Command } from "commander";
import { APP_VERSION } from "../../../chain/version.ts";
import { outputOption, print } from "../../common/cli.ts";

/** `arod version` as the SDK's `simd version`: the version alone, or with --long what built it. */
export function versionCommand(): Command {
  return new Command("version")
    .description("print arod's version; --long adds the app's name and the Node.js version it runs on")
    .option("--long", "print the name, server name, version and runtime")
    .addOption(outputOption())
    .action((o) => {
      if (!o.long) return console.log(APP_VERSION);
      print({ name: "aro", server_name: "arod", version: APP_VERSION, runtime: `node ${process.versions.node}` }, o.output);
    });
}
