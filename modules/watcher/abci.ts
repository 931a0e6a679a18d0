import type { Context } from "../../chain/module.ts";
import { sha256 } from "../../chain/seed.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { epochs } from "../epochs/epochs.ts";
import { MAX_UNBONDINGS_PER_BLOCK, STAKE_POOL } from "./keys.ts";
import { watcherKeeper as k } from "./keeper.ts";
import { pruneWatcherRecords } from "./prune.ts";
import { bankKeeper } from "./expected.ts";

/** Begin block: at an epoch's first block, fix the watcher set its committees are drawn from. */
export function snapshotWatchers(ctx: Context): void {
  const epoch = epochs.of(ctx.store, ctx.block.height);
  if (epochs.start(ctx.store, epoch) !== ctx.block.height) return;
  const min = BigInt(k.getParams(ctx.store).minStake);
  const active = k.all(ctx.store).filter((x) => !x.jailed && BigInt(x.tokens) >= min);
  k.setSnapshot(ctx.store, {
    epoch,
    watchers: active.map((x) => ({ address: x.address, region: x.region, stake: x.tokens })),
    seed: sha256(ctx.block.seed ?? new Uint8Array(32), "watchers", epoch.toString()),
  });
}

/** End block: returns matured watcher unbondings, then prunes the records of epochs past their retention (both bounded). */
export function watcherEndBlock(ctx: Context): void {
  completeWatcherUnbondings(ctx);
  pruneWatcherRecords(ctx);
}

/** Returns matured watcher unbondings (bounded). */
export function completeWatcherUnbondings(ctx: Context): void {
  const denom = k.denom(ctx.store);
  for (const { time, watcher, delegator, amount } of k.unbondingsDue(ctx.store, ctx.block.timeSeconds, MAX_UNBONDINGS_PER_BLOCK)) {
    k.deleteUnbonding(ctx.store, time, watcher, delegator);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(STAKE_POOL), delegator, [{ denom, amount }]);
    ctx.events.emit("complete_watcher_unbonding", { watcher, delegator, amount: amount.toString() });
  }
}
