import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { accumulate } from "../../chain/share-pool.ts";
import { epochs } from "../epochs/epochs.ts";
import { commissionHistory } from "./commission-history.ts";
import { poolOf } from "./guarantees.ts";
import { nodes } from "./nodes.ts";

const int = (s: string) => (s ? BigInt(s) : 0n);

/** Crediting a node's rewards: the owner's commission, the rest to its guarantee shares. */
export const rewards = {
  /**
   * Credits `amount` (already in the reward pool account) to a node: the owner's
   * commission, the rest to every guarantee share. Returns {commission, toBackers}. The
   * commission is the one in force in `epoch` (the epoch the reward is for; by default the
   * current one): a change announced in an epoch never applies to that epoch's rewards.
   */
  creditReward(ctx: Context, id: bigint, amount: bigint, epoch: bigint = epochs.of(ctx.store, ctx.block.height)): { commission: bigint; toBackers: bigint } {
    const n = nodes.mustNode(ctx.store, id);
    const pool = poolOf(n);
    let commission = (amount * decFromString(commissionHistory.commissionAt(ctx.store, n, epoch))) / DEC_ONE;
    if (pool.shares === 0n) commission = amount;
    const toBackers = amount - commission;
    nodes.setNode(ctx.store, {
      ...n,
      ownerCommission: (int(n.ownerCommission) + commission).toString(),
      rewardPerShare: accumulate(int(n.rewardPerShare), toBackers, pool.shares).toString(),
    });
    return { commission, toBackers };
  },
};
