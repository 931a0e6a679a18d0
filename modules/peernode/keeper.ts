import { Guarantee, Node, NodeStatus, Params, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { formatCoins } from "../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { seededIndex } from "../../chain/seed.ts";
import { accumulate, earned, sharesForTokens, sharesToRemove, tokensForShares, type Pool } from "../../chain/share-pool.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper } from "../auth/keeper.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { stakingKeeper } from "../staking/keeper.ts";
import { coversBond, isRegistered, statusForGuarantee } from "./bond.ts";
import { peernodeErrors } from "./errors.ts";
import { BOND_POOL, pad, REWARD_POOL } from "./keys.ts";
import { effectiveCommission } from "./commission.ts";
import { epochs } from "../epochs/epochs.ts";
import { peernodeStore } from "./store.ts";

const int = (s: string) => (s ? BigInt(s) : 0n);

export const poolOf = (n: Node): Pool => ({ tokens: int(n.guaranteeTokens), shares: int(n.guaranteeShares) });
/** Index sets a node is in while ACTIVE (assignable): each service, in its region and in "*". */
const indexSets = (n: Node): string[] => n.services.flatMap((s) => [`${s}/${n.region}`, `${s}/*`]);

/** Whether lexicographic key `a` is greater than `b` (a missing element counts as 0). */
function keyGreater(a: readonly bigint[], b: readonly bigint[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x > y;
  }
  return false;
}

const c = peernodeStore;

/** State access of aro/peernode. Stateless: every call takes the store or context. */
export const peernodeKeeper = {
  getParams(state: KVReader): Params {
    return c.params.get(state);
  },
  setParams(store: KVStore, p: Params): void {
    c.params.set(store, p);
  },
  bondDenom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  nodeIds: c.nextId,

  getNode(state: KVReader, id: bigint): Node | undefined {
    return c.nodes.get(state, id);
  },
  mustNode(state: KVReader, id: bigint): Node {
    const n = this.getNode(state, id);
    if (!n) throw peernodeErrors.nodeNotFound.wrap(`node ${id}`);
    return n;
  },
  /** ACTIVE or UNDERBONDED: its owner may update, top up or deregister it, its operator finish its work. */
  mustRegistered(state: KVReader, id: bigint): Node {
    const n = this.mustNode(state, id);
    if (!isRegistered(n)) throw peernodeErrors.nodeNotActive.wrap(`node ${id} is deregistered`);
    return n;
  },
  /** Whether a node may be assigned work and paid for it: ACTIVE with a guarantee of at least min_bond. */
  isBonded(state: KVReader, n: Node): boolean {
    return coversBond(n, BigInt(this.getParams(state).minBond));
  },
  /** For new work (claims): the node must be registered and bonded (peernode/14 when under min_bond). */
  requireBonded(state: KVReader, id: bigint): Node {
    const n = this.mustRegistered(state, id);
    if (!this.isBonded(state, n)) {
      throw peernodeErrors.nodeUnderbonded.wrap(`node ${id} has a guarantee of ${n.guaranteeTokens || "0"}, min_bond is ${this.getParams(state).minBond}; add guarantee to bring it back`);
    }
    return n;
  },
  /**
   * Writes a node whose guarantee changed: a registered node becomes UNDERBONDED when its
   * guarantee falls under min_bond (leaving the assignment indexes) and ACTIVE again once
   * it is back at min_bond. Returns the node as written.
   */
  setGuaranteed(ctx: Context, n: Node): Node {
    const minBond = this.getParams(ctx.store).minBond;
    const status = statusForGuarantee(n, BigInt(minBond));
    const next = status === n.status ? n : { ...n, status };
    this.setNode(ctx.store, next);
    if (status !== n.status) {
      const event = status === NodeStatus.NODE_STATUS_UNDERBONDED ? "node_underbonded" : "node_bonded";
      ctx.events.emit(event, { node_id: n.id.toString(), guarantee: n.guaranteeTokens || "0", min_bond: minBond });
    }
    return next;
  },
  /** Writes a node and keeps the owner, peer id and service/region indexes in step. */
  setNode(store: KVStore, n: Node): void {
    const before = this.getNode(store, n.id);
    const reindex = !before || before.owner !== n.owner || before.peerId !== n.peerId || before.status !== n.status
      || before.region !== n.region || before.services.join() !== n.services.join();
    if (!reindex) {
      // rewards, guarantees, description: the indexes stay as they are
      c.nodes.set(store, n.id, n);
      return;
    }
    if (before) {
      c.byOwner.remove(store, [before.owner, before.id]);
      if (isRegistered(before)) c.byPeerId.delete(store, before.peerId);
      if (before.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(before)) this.indexRemove(store, set, before.id);
    }
    c.nodes.set(store, n.id, n);
    c.byOwner.add(store, [n.owner, n.id]);
    // a peer id stays taken while its node is registered, underbonded or not
    if (isRegistered(n)) c.byPeerId.set(store, n.peerId, n.id);
    if (n.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(n)) this.indexAdd(store, set, n.id);
  },
  /** The registered (ACTIVE or UNDERBONDED) node using a peer id. */
  nodeByPeerId(state: KVReader, peerId: string): bigint | undefined {
    return c.byPeerId.get(state, peerId);
  },
  allNodes(state: KVReader): Node[] {
    return c.nodes.values(state);
  },
  /** Up to `limit` nodes with id >= from, in id order (bounded batches for settlement). */
  nodesFrom(state: KVReader, from: bigint, limit: number): Node[] {
    return c.nodes.values(state, { from, limit });
  },
  nodeIdsOf(state: KVReader, owner: string): bigint[] {
    return c.byOwner.keys(state, { prefix: `${owner}/` }).map(([, id]) => id);
  },

  indexCount(state: KVReader, set: string): bigint {
    return c.indexCount.get(state, set) ?? 0n;
  },
  indexAt(state: KVReader, set: string, i: bigint): bigint {
    // a missing entry reads as 0, as the hand-written decode of an absent value did
    return c.indexAt.get(state, [set, i]) ?? 0n;
  },
  indexAdd(store: KVStore, set: string, id: bigint): void {
    if (c.indexPos.has(store, [set, id])) return;
    const n = this.indexCount(store, set);
    c.indexAt.set(store, [set, n], id);
    c.indexPos.set(store, [set, id], n);
    c.indexCount.set(store, set, n + 1n);
  },
  /** Swap-remove: the last entry takes the removed one's place. */
  indexRemove(store: KVStore, set: string, id: bigint): void {
    const pos = c.indexPos.get(store, [set, id]);
    if (pos === undefined) return;
    const last = this.indexCount(store, set) - 1n;
    if (pos !== last) {
      const moved = this.indexAt(store, set, last);
      c.indexAt.set(store, [set, pos], moved);
      c.indexPos.set(store, [set, moved], pos);
    }
    c.indexAt.delete(store, [set, last]);
    c.indexPos.delete(store, [set, id]);
    c.indexCount.set(store, set, last);
  },

  /**
   * Draws up to `count` distinct bonded nodes offering `service`, from `seed`: round-robin
   * over `regions` (a node there when one is left), else any region. Never a node in
   * `exclude`, nor one whose owner or operator is `account` (a job owner's own nodes), nor
   * one `accept` refuses (a job's resource fit). O(count) reads: each draw reads one index
   * entry and that node, and a refused node is skipped within the same bounded tries.
   *
   * With `rank` (compute routing), each slot draws up to `rank.candidates` eligible nodes
   * the same way (the slot's region first, topped up from any region), and keeps drawing
   * while none of them is `rank.good` (a node with spare capacity), within 8 x candidates
   * draws per index; it takes the one whose `rank.key` is greatest (compared element by
   * element), among equal keys the one drawn first, so the seed still decides and nobody
   * can tell the pick before the block. The others stay drawable for later slots. Reads
   * stay O(count x candidates).
   */
  pickNodes(
    state: KVReader, service: Service, regions: readonly string[], count: number, seed: Uint8Array, exclude: ReadonlySet<bigint> = new Set(), account?: string,
    accept?: (n: Node) => boolean, rank?: { candidates: number; key: (n: Node) => readonly bigint[]; good?: (key: readonly bigint[]) => boolean },
  ): bigint[] {
    const chosen: bigint[] = [];
    const taken = new Set(exclude);
    const minBond = BigInt(this.getParams(state).minBond);
    const want = rank ? Math.max(1, Math.min(rank.candidates, 16)) : 1;
    // the index holds ACTIVE nodes; a min_bond raised by governance is applied here at once
    const eligible = (n: Node | undefined): n is Node =>
      n !== undefined && coversBond(n, minBond) && (!account || (n.owner !== account && n.operator !== account)) && (!accept || accept(n));
    const sets = [...regions.map((r) => `${service}/${r}`), `${service}/*`];
    let draw = 0n;
    for (let slot = 0; chosen.length < count && slot < count * 4; slot++) {
      const preferred = regions.length ? sets[slot % regions.length] : sets[sets.length - 1];
      const found: Array<{ id: bigint; key: readonly bigint[] }> = [];
      let good = false;
      const done = () => found.length >= want && (good || !rank?.good);
      for (const set of [preferred, sets[sets.length - 1]]) {
        const size = this.indexCount(state, set);
        // one candidate: at most 8 tries and never more than the index holds, as ever;
        // ranked: 8 x candidates tries (bounded either way)
        const maxTries = rank ? (size > 0n ? BigInt(8 * want) : 0n) : size < 8n ? size : 8n;
        for (let tries = 0n; tries < maxTries && !done(); tries++) {
          const id = this.indexAt(state, set, seededIndex(seed, size, "pick", (draw++).toString()));
          if (taken.has(id) || found.some((c) => c.id === id)) continue;
          const n = this.getNode(state, id);
          if (!eligible(n)) {
            taken.add(id); // refused once: not read again
            continue;
          }
          const key = rank ? rank.key(n) : [];
          if (found.length >= want && !rank?.good?.(key)) continue; // past the candidates: only a good one helps
          found.push({ id, key });
          if (rank?.good?.(key)) good = true;
        }
        if (done() || (!rank && found.length)) break;
      }
      if (!found.length) continue;
      let best = 0;
      for (let i = 1; i < found.length; i++) if (keyGreater(found[i].key, found[best].key)) best = i;
      chosen.push(found[best].id);
      taken.add(found[best].id);
    }
    return chosen;
  },

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
    return c.byBacker.keys(state, { prefix: `${backer}/` }).map(([, id]) => this.getGuarantee(state, id, backer)!);
  },

  /** Rewards a guarantee earned and not yet paid. */
  pendingReward(n: Node, g: Guarantee): bigint {
    return earned(int(g.shares), int(n.rewardPerShare), int(g.rewardPerShareStart));
  },

  /** Pays a guarantee's earned rewards to its backer and restarts its count. */
  payGuaranteeRewards(ctx: Context, n: Node, g: Guarantee): bigint {
    const amount = this.pendingReward(n, g);
    if (amount > 0n) bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), g.backer, [{ denom: this.bondDenom(ctx.store), amount }]);
    this.setGuarantee(ctx.store, { ...g, rewardPerShareStart: n.rewardPerShare });
    return amount;
  },

  /** Moves `amount` from `backer` into the node's guarantee; returns the new shares. */
  addGuarantee(ctx: Context, id: bigint, backer: string, amount: bigint): bigint {
    const n = this.mustRegistered(ctx.store, id);
    const existing = this.getGuarantee(ctx.store, id, backer);
    if (!existing && this.guaranteesOf(ctx.store, id).length >= this.getParams(ctx.store).maxBackers + 1) {
      throw peernodeErrors.tooManyBackers.wrap(`node ${id} has ${this.getParams(ctx.store).maxBackers} backers`);
    }
    if (existing) this.payGuaranteeRewards(ctx, n, existing);
    authKeeper.getOrCreateModuleAccount(ctx.store, BOND_POOL);
    bankKeeper.sendFromAccountToModule(ctx, backer, BOND_POOL, [{ denom: this.bondDenom(ctx.store), amount }]);
    const pool = poolOf(n);
    const shares = sharesForTokens(pool, amount);
    this.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens + amount).toString(), guaranteeShares: (pool.shares + shares).toString() });
    const prev = existing ? int(existing.shares) : 0n;
    this.setGuarantee(ctx.store, { nodeId: id, backer, shares: (prev + shares).toString(), rewardPerShareStart: n.rewardPerShare });
    return shares;
  },

  /** Takes `amount` tokens of `backer`'s guarantee out into an unbonding entry; returns its completion time. */
  removeGuarantee(ctx: Context, id: bigint, backer: string, amount: bigint): bigint {
    const n = this.mustNode(ctx.store, id);
    const g = this.getGuarantee(ctx.store, id, backer);
    if (!g) throw peernodeErrors.noGuarantee.wrap(`${backer} behind node ${id}`);
    const pool = poolOf(n);
    const owned = int(g.shares);
    const shares = amount === tokensForShares(pool, owned) ? owned : sharesToRemove(pool, amount);
    if (shares > owned) throw peernodeErrors.insufficientGuarantee.wrap(`${backer} has ${tokensForShares(pool, owned)} behind node ${id}, asked for ${amount}`);
    this.payGuaranteeRewards(ctx, n, g);
    const tokens = shares === owned ? tokensForShares(pool, owned) : amount;
    this.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens - tokens).toString(), guaranteeShares: (pool.shares - shares).toString() });
    this.setGuarantee(ctx.store, { ...g, shares: (owned - shares).toString(), rewardPerShareStart: n.rewardPerShare });
    const done = ctx.block.timeSeconds + this.getParams(ctx.store).unbondingTime;
    this.addUnbonding(ctx.store, done, id, backer, tokens, ctx.block.height);
    return done;
  },

  /**
   * Records `amount` leaving node `id` at height `created`, paid back at `time`. Until then
   * a penalty for anything the node did at or before `created` still reaches it (slash). Two
   * entries completing the same second merge and keep the later height.
   */
  addUnbonding(store: KVStore, time: bigint, id: bigint, backer: string, amount: bigint, created = 0n): void {
    if (amount === 0n) return;
    c.unbonding.set(store, [time, id, backer], (c.unbonding.get(store, [time, id, backer]) ?? 0n) + amount);
    c.unbondingByBacker.add(store, [backer, time, id]);
    const was = c.unbondingByNode.get(store, [id, time, backer]);
    c.unbondingByNode.set(store, [id, time, backer], was !== undefined && was > created ? was : created);
  },
  /** Removes a completed unbonding entry and its indexes. */
  deleteUnbonding(store: KVStore, time: bigint, id: bigint, backer: string): void {
    c.unbonding.delete(store, [time, id, backer]);
    c.unbondingByBacker.remove(store, [backer, time, id]);
    c.unbondingByNode.delete(store, [id, time, backer]);
  },
  /** A node's unbonding entries with the height each left at (at most (max_backers + 1) × (MAX_UNBONDING_ENTRIES + 1)). */
  unbondingsOfNode(state: KVReader, id: bigint): Array<{ backer: string; time: bigint; amount: bigint; created: bigint }> {
    return c.unbondingByNode.entries(state, { prefix: `${pad(id)}/` }).map(([[, time, backer], created]) =>
      ({ backer, time, amount: c.unbonding.get(state, [time, id, backer]) ?? 0n, created }));
  },
  /** Height an unbonding entry left its node at (0 when unknown: entries from before this was kept). */
  unbondingCreated(state: KVReader, time: bigint, id: bigint, backer: string): bigint {
    return c.unbondingByNode.get(state, [id, time, backer]) ?? 0n;
  },
  unbondingsOf(state: KVReader, backer: string): Array<{ nodeId: bigint; time: bigint; amount: bigint }> {
    return c.unbondingByBacker.keys(state, { prefix: `${backer}/` }).map(([, time, id]) =>
      ({ nodeId: id, time, amount: c.unbonding.get(state, [time, id, backer]) ?? 0n }));
  },
  allUnbondings(state: KVReader): Array<{ nodeId: bigint; backer: string; time: bigint; amount: bigint; created: bigint }> {
    return c.unbonding.entries(state).map(([[time, id, backer], amount]) =>
      ({ nodeId: id, backer, time, amount, created: this.unbondingCreated(state, time, id, backer) }));
  },
  /** Up to `limit` unbonding entries completing at or before `time`, in completion order. */
  unbondingsDue(state: KVReader, time: bigint, limit: number): Array<{ nodeId: bigint; backer: string; time: bigint; amount: bigint }> {
    return c.unbonding.entries(state, { before: pad(time + 1n), limit }).map(([[t, id, backer], amount]) => ({ nodeId: id, backer, time: t, amount }));
  },

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
    const n = this.mustNode(ctx.store, id);
    const pool = poolOf(n);
    const f = fraction > DEC_ONE ? DEC_ONE : fraction < 0n ? 0n : fraction;
    const since = infraction.height ?? this.defaultInfractionHeight(ctx);
    let reached = 0n;
    let fromUnbonding = 0n;
    for (const u of this.unbondingsOfNode(ctx.store, id)) {
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
    if (burned > 0n) bankKeeper.burnFromModule(ctx, BOND_POOL, [{ denom: this.bondDenom(ctx.store), amount: burned }]);
    ctx.events.emit("node_slashed", { node_id: id.toString(), reason, fraction: fraction.toString(), burned: formatCoins([{ denom: this.bondDenom(ctx.store), amount: burned }]), from_unbonding: fromUnbonding.toString() });
    this.setGuaranteed(ctx, { ...n, guaranteeTokens: (pool.tokens - fromPool).toString(), slashes: n.slashes + 1n });
    return burned;
  },

  /**
   * The commission in force in `epoch`: from the node's history when it has one (every
   * change announced since it is kept), else from the node record. An epoch's rate never
   * changes once the epoch has started, however many changes are announced after it.
   */
  commissionAt(state: KVReader, n: Node, epoch: bigint): string {
    const [hit] = c.commissionHistory.values(state, { prefix: `${pad(n.id)}/`, from: [n.id, epoch], limit: 1 });
    return hit ?? effectiveCommission(n, epoch);
  },
  /**
   * Keeps the history a change announced in `epoch` needs: the rates in force so far (from
   * the node record, the first time) and the new one from epoch + 1.
   */
  recordCommissionChange(store: KVStore, before: Node, after: Node, epoch: bigint): void {
    if (c.commissionHistory.keys(store, { prefix: `${pad(before.id)}/`, limit: 1 }).length === 0) {
      c.commissionHistory.set(store, [before.id, 0n], before.commission);
      if (before.pendingCommission) c.commissionHistory.set(store, [before.id, before.pendingCommissionEpoch], before.pendingCommission);
    }
    c.commissionHistory.set(store, [before.id, epoch + 1n], after.pendingCommission);
  },
  setCommissionRate(store: KVStore, id: bigint, from: bigint, rate: string): void {
    c.commissionHistory.set(store, [id, from], rate);
  },
  commissionHistoryOf(state: KVReader, id: bigint): Array<{ fromEpoch: bigint; rate: string }> {
    return c.commissionHistory.entries(state, { prefix: `${pad(id)}/` }).map(([[, fromEpoch], rate]) => ({ fromEpoch, rate })).reverse();
  },

  /**
   * Credits `amount` (already in the reward pool account) to a node: the owner's
   * commission, the rest to every guarantee share. Returns {commission, toBackers}. The
   * commission is the one in force in `epoch` (the epoch the reward is for; by default the
   * current one): a change announced in an epoch never applies to that epoch's rewards.
   */
  creditReward(ctx: Context, id: bigint, amount: bigint, epoch: bigint = epochs.of(ctx.store, ctx.block.height)): { commission: bigint; toBackers: bigint } {
    const n = this.mustNode(ctx.store, id);
    const pool = poolOf(n);
    let commission = (amount * decFromString(this.commissionAt(ctx.store, n, epoch))) / DEC_ONE;
    if (pool.shares === 0n) commission = amount;
    const toBackers = amount - commission;
    this.setNode(ctx.store, {
      ...n,
      ownerCommission: (int(n.ownerCommission) + commission).toString(),
      rewardPerShare: accumulate(int(n.rewardPerShare), toBackers, pool.shares).toString(),
    });
    return { commission, toBackers };
  },

  requireOwner(n: Node, signer: string): void {
    if (n.owner !== signer) throw peernodeErrors.notOwner.wrap(`node ${n.id} is owned by ${n.owner}`);
  },
  /**
   * For claims, proofs and job results: the node's operator key or its owner. An
   * UNDERBONDED node still answers for work it was given; new work checks requireBonded.
   */
  requireOperator(state: KVReader, id: bigint, signer: string): Node {
    const n = this.mustRegistered(state, id);
    if (n.operator !== signer && n.owner !== signer) throw peernodeErrors.notOperator.wrap(`node ${id}`);
    return n;
  },
};
