import { Guarantee, Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { Context } from "../../chain/module.ts";
import { earned, sharesForTokens, sharesToRemove, tokensForShares, type Pool } from "../../chain/share-pool.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { peernodeErrors } from "./errors.ts";
import { BOND_POOL, pad, REWARD_POOL } from "./keys.ts";
import { nodes } from "./nodes.ts";
import { peernodeStore as c } from "./store.ts";
import { unbondings } from "./unbondings.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

const int = (s: string) => (s ? BigInt(s) : 0n);

export const poolOf = (n: Node): Pool => ({ tokens: int(n.guaranteeTokens), shares: int(n.guaranteeShares) });

/** Guarantees behind nodes: the backers' shares, their rewards, adding to and taking out of them. */
export const guarantees = {
  getGuarantee(state: KVReader, id: bigint, backer: string): Guarantee | undefined {
    return c.guarantees.get(state, [id, backer]);
  },
  setGuarantee(store: KVStore, g: Guarantee): void {
    if (int(g.shares) === 0n) {
      c.guarantees.delete(store, [g.nodeId, g.backer]);
      c.byBacker.remove(store, [g.backer, g.nodeId]);
      return;
    }
    c.guarantees.set(store, [g.nodeId, g.backer], g);
    c.byBacker.add(store, [g.backer, g.nodeId]);
  },
  guaranteesOf(state: KVReader, id: bigint): Guarantee[] {
    return c.guarantees.values(state, { prefix: `${pad(id)}/` });
  },
  guaranteesByBacker(state: KVReader, backer: string): Guarantee[] {
    return c.byBacker.keys(state, { prefix: `${backer}/` }).map(([, id]) => guarantees.getGuarantee(state, id, backer)!);
  },

  /** Rewards a guarantee earned and not yet paid. */
  pendingReward(n: Node, g: Guarantee): bigint {
    return earned(int(g.shares), int(n.rewardPerShare), int(g.rewardPerShareStart));
  },

  /** Pays a guarantee's earned rewards to its backer and restarts its count. */
  payGuaranteeRewards(ctx: Context, n: Node, g: Guarantee): bigint {
    const amount = guarantees.pendingReward(n, g);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), g.backer, [{ denom: nodes.bondDenom(ctx.store), amount }]);
    guarantees.setGuarantee(ctx.store, { ...g, rewardPerShareStart: n.rewardPerShare });
    return amount;
  },

  /** Moves `amount` from `backer` into the node's guarantee; returns the new shares. */
  addGuarantee(ctx: Context, id: bigint, backer: string, amount: bigint): bigint {
    const n = nodes.mustRegistered(ctx.store, id);
    const existing = guarantees.getGuarantee(ctx.store, id, backer);
    if (!existing && guarantees.guaranteesOf(ctx.store, id).length >= nodes.getParams(ctx.store).maxBackers + 1) {
      throw peernodeErrors.tooManyBackers.wrap(`node ${id} has ${nodes.getParams(ctx.store).maxBackers} backers`);
    }
    if (existing) guarantees.payGuaranteeRewards(ctx, n, existing);
    authKeeper.getOrCreateModuleAccount(ctx.store, BOND_POOL);
    bankKeeper.sendFromAccountToModule(ctx, backer, BOND_POOL, [{ denom: nodes.bondDenom(ctx.store), amount }]);
    const pool = poolOf(n);
    const shares = sharesForTokens(pool, amount);
    nodes.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens + amount).toString(), guaranteeShares: (pool.shares + shares).toString() });
    const prev = existing ? int(existing.shares) : 0n;
    guarantees.setGuarantee(ctx.store, { nodeId: id, backer, shares: (prev + shares).toString(), rewardPerShareStart: n.rewardPerShare });
    return shares;
  },

  /** Takes `amount` tokens of `backer`'s guarantee out into an unbonding entry; returns its completion time. */
  removeGuarantee(ctx: Context, id: bigint, backer: string, amount: bigint): bigint {
    const n = nodes.mustNode(ctx.store, id);
    const g = guarantees.getGuarantee(ctx.store, id, backer);
    if (!g) throw peernodeErrors.noGuarantee.wrap(`${backer} behind node ${id}`);
    const pool = poolOf(n);
    const owned = int(g.shares);
    const shares = amount === tokensForShares(pool, owned) ? owned : sharesToRemove(pool, amount);
    if (shares > owned) throw peernodeErrors.insufficientGuarantee.wrap(`${backer} has ${tokensForShares(pool, owned)} behind node ${id}, asked for ${amount}`);
    guarantees.payGuaranteeRewards(ctx, n, g);
    const tokens = shares === owned ? tokensForShares(pool, owned) : amount;
    nodes.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens - tokens).toString(), guaranteeShares: (pool.shares - shares).toString() });
    guarantees.setGuarantee(ctx.store, { ...g, shares: (owned - shares).toString(), rewardPerShareStart: n.rewardPerShare });
    const done = ctx.block.timeSeconds + nodes.getParams(ctx.store).unbondingTime;
    unbondings.addUnbonding(ctx.store, done, id, backer, tokens, ctx.block.height);
    return done;
  },
};
