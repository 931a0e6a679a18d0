import type { Module } from "../../chain/module.ts";
import { upgradeBeginBlock } from "./abci.ts";
import type { UpgradeHandler } from "./handlers.ts";
import { upgradeKeeper } from "./keeper.ts";
import { cancelUpgrade } from "./msgs/cancel-upgrade.ts";
import { softwareUpgrade } from "./msgs/software-upgrade.ts";
import { upgradeQueries } from "./queries.ts";

export type { UpgradeHandler } from "./handlers.ts";

/**
 * x/upgrade: governance schedules a software upgrade at a height; every node stops there
 * unless its binary has the plan's handler, which then migrates the state in that block.
 * `modules` are the app's module names: their consensus versions start at 1.
 */
export function createUpgradeModule(o: { handlers: readonly UpgradeHandler[]; modules: readonly string[] }): Module {
  const handlers = new Map(o.handlers.map((h) => [h.name, h]));
  return {
    name: "upgrade",
    msgs: [softwareUpgrade, cancelUpgrade],
    queries: upgradeQueries,
    defaultGenesis: () => ({}),
    initGenesis(ctx) {
      for (const m of [...o.modules, "upgrade"]) upgradeKeeper.setVersion(ctx.store, m, 1n);
    },
    // as the SDK's: nothing to carry into a new chain
    exportGenesis: () => ({}),
    beginBlock: (ctx) => upgradeBeginBlock(ctx, handlers),
  };
}
