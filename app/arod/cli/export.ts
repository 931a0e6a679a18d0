import fs from "node:fs";
import { Command } from "commander";
import { anteHandler, createModules } from "../../../modules/index.ts";
import { App } from "../../../chain/app.ts";
import { silentLogger } from "../../../chain/logger.ts";
import { homePaths } from "../node/home.ts";
import { readGenesis } from "../node/init.ts";
import { CommittedStore } from "../../../chain/store/committed-store.ts";
import { action } from "../../common/cli.ts";
import { homeOption, nodeOption } from "./options.ts";
import { replayChain } from "../node/replay.ts";

/** Opens a stopped node's state read-only-in-practice (level takes an exclusive lock). */
export async function withOfflineApp<T>(home: string, fn: (app: App) => T | Promise<T>): Promise<T> {
  const path = homePaths(home).appDb;
  if (!fs.existsSync(path)) throw new Error(`no chain state at ${path}: has this node run yet?`);
  let store: CommittedStore;
  try {
    store = await CommittedStore.open(path);
  } catch (err) {
    if ((err as { code?: string }).code === "STORE_LOCKED") throw new Error(`${path} is in use: stop the node first`);
    throw err;
  }
  try {
    return await fn(new App({ store, modules: createModules(), ante: anteHandler, log: silentLogger }));
  } finally {
    await store.close();
  }
}

export function exportCommand(): Command {
  return new Command("export")
    .description("print the state of a stopped node as a genesis file (to restart a network from it)")
    .addOption(homeOption())
    .action(action(async (o) => {
      const genesis = readGenesis(o.home);
      await withOfflineApp(o.home, (app) => {
        const height = app.store.lastCommitted.height;
        genesis.app_state = app.exportGenesis();
        genesis.initial_height = (height + 1n).toString();
        genesis.app_hash = "";
        console.log(JSON.stringify(genesis, null, 2));
        console.error(`exported state at height ${height}`);
      });
    }));
}

export function debugCommand(): Command {
  const debug = new Command("debug").description("tools for operators");
  debug
    .command("invariants")
    .description("check the state of a stopped node (e.g. total supply = sum of balances)")
    .addOption(homeOption())
    .action(action(async (o) => {
      await withOfflineApp(o.home, (app) => {
        const broken = app.invariants();
        if (broken.length) throw new Error(`broken invariants at height ${app.store.lastCommitted.height}:\n  ${broken.join("\n  ")}`);
        console.log(`all invariants hold at height ${app.store.lastCommitted.height}`);
      });
    }));
  debug
    .command("replay")
    .description("replay a chain's blocks into a fresh app and compare every app hash (determinism check)")
    .addOption(homeOption())
    .addOption(nodeOption())
    .option("--to <height>", "last height to replay (default: the node's latest minus one)")
    .action(action(async (o) => {
      const status = (await (await fetch(`${o.node}/status`)).json()) as { result: { sync_info: { latest_block_height: string } } };
      const latest = Number(status.result.sync_info.latest_block_height);
      const to = o.to ? Number(o.to) : latest - 1;
      if (!Number.isInteger(to) || to < 1 || to >= latest) throw new Error(`--to must be between 1 and ${latest - 1}`);
      const r = await replayChain(homePaths(o.home).genesis, o.node, to, (h) => {
        if (h % 100 === 0 || h === to) process.stderr.write(`replayed ${h}/${to}\r`);
      });
      process.stderr.write("\n");
      if (r.mismatches.length) throw new Error(`app hash mismatch at ${r.mismatches.length} heights, first: ${JSON.stringify(r.mismatches[0])}`);
      console.log(`replayed ${r.blocks} blocks: every app hash matches the chain`);
    }));
  return debug;
}
