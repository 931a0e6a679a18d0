import type { Context } from "../../chain/module.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { BOND_POOL, keys, MAX_UNBONDINGS_PER_BLOCK, pad } from "./keys.ts";
import { peernodeKeeper as k } from "./keeper.ts";

/** End of block: returns matured guarantee unbondings, at most MAX_UNBONDINGS_PER_BLOCK per block. */
export function completeGuaranteeUnbondings(ctx: Context): void {
  const now = ctx.block.timeSeconds;
  const denom = k.bondDenom(ctx.store);
  const due = ctx.store.iterate(keys.unbondingQueue, keys.unbondingQueue + pad(now + 1n), { limit: MAX_UNBONDINGS_PER_BLOCK });
  for (const [key, value] of due) {
    const [time, id, backer] = key.slice(keys.unbondingQueue.length).split("/");
    const amount = BigInt(new TextDecoder().decode(value));
    k.deleteUnbonding(ctx.store, BigInt(time), BigInt(id), backer);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(BOND_POOL), backer, [{ denom, amount }]);
    ctx.events.emit("complete_guarantee_unbonding", { node_id: BigInt(id).toString(), backer, amount: `${amount}${denom}` });
  }
}
