import { formatCoins } from "../../chain/coins.ts";
import { DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { epochs } from "../epochs/epochs.ts";
import { poolOf } from "./guarantees.ts";
import { BOND_POOL } from "./keys.ts";
import { nodes } from "./nodes.ts";
import { peernodeStore as c } from "./store.ts";
import { unbondings } from "./unbondings.ts";
import { bankKeeper } from "./expected.ts";

/** Penalties on a node's guarantee, reaching the unbonding entries that left it after the infraction. */
export const slashing = {
  /**
   * The infraction height a penalty is taken to be for when its caller names none: the
   * start of the previous epoch. Every Aro penalty is for work of the epoch it lands in or
   * the one before (storage challenges and delivery claims are settled right after their
   * epoch's windows, job results within their commit and reveal windows).
   */
  defaultInfractionHeight(ctx: Context): bigint {
    const e = epochs.of(ctx.store, ctx.block.height);
    return epochs.start(ctx.store, e > 0n ? e - 1n : 0n);
  },

  /**
   * Burns `fraction` (18 decimals) of the guarantee that stood behind a node at the
   * infraction: every share loses value alike, owner's and backers', and, as the SDK slashes
   * unbonding delegations, every unbonding entry that left the node at or after
   * `infraction.height` loses the same fraction (leaving does not escape a penalty for what
   * was done before). With `infraction.stake` (the guarantee at the infraction, e.g. a
   * claim's bond), the total burned is fraction × that stake: the unbonding entries' part
   * first, the rest from the guarantee still behind the node (at most all of it). Without
   * it, fraction × (guarantee + reached entries). A node left under min_bond becomes
   * UNDERBONDED. Returns the tokens burned.
   */
  slash(ctx: Context, id: bigint, fraction: bigint, reason: string, infraction: { height?: bigint; stake?: bigint } = {}): bigint {
    const n = nodes.mustNode(ctx.store, id);
    const pool = poolOf(n);
    const f = fraction > DEC_ONE ? DEC_ONE : fraction < 0n ? 0n : fraction;
    const since = infraction.height ?? slashing.defaultInfractionHeight(ctx);
    let reached = 0n;
    let fromUnbonding = 0n;
    for (const u of unbondings.unbondingsOfNode(ctx.store, id)) {
      if (u.created < since || u.amount === 0n) continue;
      reached += u.amount;
      const cut = (u.amount * f) / DEC_ONE;
      if (cut === 0n) continue;
      fromUnbonding += cut;
      c.unbonding.set(ctx.store, [u.time, id, u.backer], u.amount - cut);
      ctx.events.emit("unbonding_slashed", { node_id: id.toString(), backer: u.backer, left_height: u.created.toString(), burned: cut.toString() });
    }
    const target = ((infraction.stake ?? pool.tokens + reached) * f) / DEC_ONE;
    let fromPool = target - fromUnbonding;
    if (fromPool < 0n) fromPool = 0n;
    if (fromPool > pool.tokens) fromPool = pool.tokens;
    const burned = fromPool + fromUnbonding;
    if (burned > 0n) bankKeeper.burnFromModule(ctx, BOND_POOL, [{ denom: nodes.bondDenom(ctx.store), amount: burned }]);
    ctx.events.emit("node_slashed", { node_id: id.toString(), reason, fraction: fraction.toString(), burned: formatCoins([{ denom: nodes.bondDenom(ctx.store), amount: burned }]), from_unbonding: fromUnbonding.toString() });
    nodes.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens - fromPool).toString(), slashes: n.slashes + 1n });
    return burned;
  },
};
