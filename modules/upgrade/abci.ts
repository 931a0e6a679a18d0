import { UpgradeNeeded } from "../../chain/halt.ts";
import type { Context } from "../../chain/module.ts";
import type { UpgradeHandler } from "./handlers.ts";
import { upgradeKeeper } from "./keeper.ts";

/**
 * First thing of every block (the SDK's PreBlocker): at the plan's height, run this
 * binary's handler for it, or stop the chain here if there is none (UpgradeNeeded).
 */
export function upgradeBeginBlock(ctx: Context, handlers: ReadonlyMap<string, UpgradeHandler>): void {
  const plan = upgradeKeeper.plan(ctx.store);
  if (!plan) return;
  if (ctx.block.height < plan.height) return;
  const handler = handlers.get(plan.name);
  if (!handler) throw new UpgradeNeeded({ name: plan.name, height: plan.height, info: plan.info });
  const versions = handler.migrate(ctx) ?? {};
  for (const [module, version] of Object.entries(versions)) upgradeKeeper.setVersion(ctx.store, module, version);
  upgradeKeeper.markDone(ctx.store, plan.name, ctx.block.height);
  upgradeKeeper.clearPlan(ctx.store);
  ctx.events.emit("upgrade", { name: plan.name, height: ctx.block.height.toString() });
}
