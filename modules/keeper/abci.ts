import type { Context } from "../../chain/module.ts";
import { sha256 } from "../../chain/seed.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { epochs } from "../epochs/epochs.ts";
import { MAX_UNBONDINGS_PER_BLOCK, STAKE_POOL } from "./keys.ts";
import { keeperKeeper as k } from "./keeper.ts";

/** Begin block: at an epoch's first block, fix the keeper set its committees are drawn from. */
export function snapshotKeepers(ctx: Context): void {
  const epoch = epochs.of(ctx.store, ctx.block.height);
  if (epochs.start(ctx.store, epoch) !== ctx.block.height) return;
  const min = BigInt(k.getParams(ctx.store).minStake);
  const active = k.all(ctx.store).filter((x) => !x.jailed && BigInt(x.tokens) >= min);
  k.setSnapshot(ctx.store, {
    epoch,
    keepers: active.map((x) => ({ address: x.address, region: x.region, stake: x.tokens })),
    seed: sha256(ctx.block.seed ?? new Uint8Array(32), "keepers", epoch.toString()),
  });
}

/** End block: returns matured keeper unbondings (bounded). */
export function completeKeeperUnbondings(ctx: Context): void {
  const denom = k.denom(ctx.store);
  for (const { time, keeper, delegator, amount } of k.unbondingsDue(ctx.store, ctx.block.timeSeconds, MAX_UNBONDINGS_PER_BLOCK)) {
    k.deleteUnbonding(ctx.store, time, keeper, delegator);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(STAKE_POOL), delegator, [{ denom, amount }]);
    ctx.events.emit("complete_keeper_unbonding", { keeper, delegator, amount: amount.toString() });
  }
}
