import type { Context } from "../../chain/module.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { BOND_POOL, MAX_UNBONDINGS_PER_BLOCK } from "./keys.ts";
import { peernodeKeeper as k } from "./keeper.ts";
import { bankKeeper } from "./expected.ts";

/** End of block: returns matured guarantee unbondings, at most MAX_UNBONDINGS_PER_BLOCK per block. */
export function completeGuaranteeUnbondings(ctx: Context): void {
  const now = ctx.block.timeSeconds;
  const denom = k.bondDenom(ctx.store);
  for (const { time, nodeId: id, backer, amount } of k.unbondingsDue(ctx.store, now, MAX_UNBONDINGS_PER_BLOCK)) {
    k.deleteUnbonding(ctx.store, time, id, backer);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(BOND_POOL), backer, [{ denom, amount }]);
    ctx.events.emit("complete_guarantee_unbonding", { node_id: id.toString(), backer, amount: `${amount}${denom}` });
  }
}
