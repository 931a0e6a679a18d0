import { Guarantee, Node, NodeStatus, Params, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { formatCoins } from "../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { seededIndex } from "../../chain/seed.ts";
import { storedCounter } from "../../chain/store/counter.ts";
import { accumulate, earned, sharesForTokens, sharesToRemove, tokensForShares, type Pool } from "../../chain/share-pool.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { authKeeper } from "../auth/keeper.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { stakingKeeper } from "../staking/keeper.ts";
import { coversBond, isRegistered, statusForGuarantee } from "./bond.ts";
import { peernodeErrors } from "./errors.ts";
import { BOND_POOL, keys, MAX_EPOCH, REWARD_POOL } from "./keys.ts";
import { defaultPeernodeParams } from "./params.ts";
import { effectiveCommission } from "./commission.ts";
import { epochs } from "../epochs/epochs.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY = new Uint8Array();
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

/** State access of aro/peernode. Stateless: every call takes the store or context. */
export const peernodeKeeper = {
  getParams(state: KVReader): Params {
    const raw = state.get(keys.params);
    return raw ? Params.decode(raw) : defaultPeernodeParams;
  },
  setParams(store: KVStore, p: Params): void {
    store.set(keys.params, Params.encode(p).finish());
  },
  bondDenom: (state: KVReader) => stakingKeeper.getParams(state).bondDenom,

  nodeIds: storedCounter(keys.nextId),

  getNode(state: KVReader, id: bigint): Node | undefined {
    const raw = state.get(keys.node(id));
    return raw ? Node.decode(raw) : undefined;
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
      store.set(keys.node(n.id), Node.encode(n).finish());
      return;
    }
    if (before) {
      store.delete(keys.byOwnerEntry(before.owner, before.id));
      if (isRegistered(before)) store.delete(keys.byPeerId(before.peerId));
      if (before.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(before)) this.indexRemove(store, set, before.id);
    }
    store.set(keys.node(n.id), Node.encode(n).finish());
    store.set(keys.byOwnerEntry(n.owner, n.id), EMPTY);
    // a peer id stays taken while its node is registered, underbonded or not
    if (isRegistered(n)) store.set(keys.byPeerId(n.peerId), enc.encode(n.id.toString()));
    if (n.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(n)) this.indexAdd(store, set, n.id);
  },
  /** The registered (ACTIVE or UNDERBONDED) node using a peer id. */
  nodeByPeerId(state: KVReader, peerId: string): bigint | undefined {
    const raw = state.get(keys.byPeerId(peerId));
    return raw ? BigInt(dec.decode(raw)) : undefined;
  },
  allNodes(state: KVReader): Node[] {
    return state.iterate(keys.nodes).map(([, raw]) => Node.decode(raw));
  },
  /** Up to `limit` nodes with id >= from, in id order (bounded batches for settlement). */
  nodesFrom(state: KVReader, from: bigint, limit: number): Node[] {
    return state.iterate(keys.nodes, undefined, { from: keys.node(from), limit }).map(([, raw]) => Node.decode(raw));
  },
  nodeIdsOf(state: KVReader, owner: string): bigint[] {
    const prefix = keys.byOwner(owner);
    return state.iterate(prefix).map(([k]) => BigInt(k.slice(prefix.length)));
  },

  indexCount(state: KVReader, set: string): bigint {
    const raw = state.get(keys.indexCount(set));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  },
  indexAt(state: KVReader, set: string, i: bigint): bigint {
    return BigInt(dec.decode(state.get(keys.indexAt(set, i))!));
  },
  indexAdd(store: KVStore, set: string, id: bigint): void {
    if (store.get(keys.indexPos(set, id))) return;
    const n = this.indexCount(store, set);
    store.set(keys.indexAt(set, n), enc.encode(id.toString()));
    store.set(keys.indexPos(set, id), enc.encode(n.toString()));
    store.set(keys.indexCount(set), enc.encode((n + 1n).toString()));
  },
  /** Swap-remove: the last entry takes the removed one's place. */
  indexRemove(store: KVStore, set: string, id: bigint): void {
    const raw = store.get(keys.indexPos(set, id));
    if (!raw) return;
    const pos = BigInt(dec.decode(raw));
    const last = this.indexCount(store, set) - 1n;
    if (pos !== last) {
      const moved = this.indexAt(store, set, last);
      store.set(keys.indexAt(set, pos), enc.encode(moved.toString()));
      store.set(keys.indexPos(set, moved), enc.encode(pos.toString()));
    }
    store.delete(keys.indexAt(set, last));
    store.delete(keys.indexPos(set, id));
    store.set(keys.indexCount(set), enc.encode(last.toString()));
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
    const raw = state.get(keys.guarantee(id, backer));
    return raw ? Guarantee.decode(raw) : undefined;
  },
  setGuarantee(store: KVStore, g: Guarantee): void {
    if (int(g.shares) === 0n) {
      store.delete(keys.guarantee(g.nodeId, g.backer));
      store.delete(keys.byBackerEntry(g.backer, g.nodeId));
      return;
    }
    store.set(keys.guarantee(g.nodeId, g.backer), Guarantee.encode(g).finish());
    store.set(keys.byBackerEntry(g.backer, g.nodeId), EMPTY);
  },
  guaranteesOf(state: KVReader, id: bigint): Guarantee[] {
    return state.iterate(keys.guarantees(id)).map(([, raw]) => Guarantee.decode(raw));
  },
  guaranteesByBacker(state: KVReader, backer: string): Guarantee[] {
    const prefix = keys.byBacker(backer);
    return state.iterate(prefix).map(([k]) => this.getGuarantee(state, BigInt(k.slice(prefix.length)), backer)!);
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
    const key = keys.unbonding(time, id, backer);
    const prev = store.get(key);
    store.set(key, enc.encode(((prev ? BigInt(dec.decode(prev)) : 0n) + amount).toString()));
    store.set(keys.unbondingByBackerEntry(backer, time, id), EMPTY);
    const byNode = keys.unbondingByNodeEntry(id, time, backer);
    const was = store.get(byNode);
    const height = was && BigInt(dec.decode(was)) > created ? BigInt(dec.decode(was)) : created;
    store.set(byNode, enc.encode(height.toString()));
  },
  /** Removes a completed unbonding entry and its indexes. */
  deleteUnbonding(store: KVStore, time: bigint, id: bigint, backer: string): void {
    store.delete(keys.unbonding(time, id, backer));
    store.delete(keys.unbondingByBackerEntry(backer, time, id));
    store.delete(keys.unbondingByNodeEntry(id, time, backer));
  },
  /** A node's unbonding entries with the height each left at (at most (max_backers + 1) × (MAX_UNBONDING_ENTRIES + 1)). */
  unbondingsOfNode(state: KVReader, id: bigint): Array<{ backer: string; time: bigint; amount: bigint; created: bigint }> {
    const prefix = keys.unbondingByNode(id);
    return state.iterate(prefix).map(([k, v]) => {
      const rest = k.slice(prefix.length);
      const cut = rest.indexOf("/");
      const time = BigInt(rest.slice(0, cut));
      const backer = rest.slice(cut + 1);
      const raw = state.get(keys.unbonding(time, id, backer));
      return { backer, time, amount: raw ? BigInt(dec.decode(raw)) : 0n, created: BigInt(dec.decode(v)) };
    });
  },
  /** Height an unbonding entry left its node at (0 when unknown: entries from before this was kept). */
  unbondingCreated(state: KVReader, time: bigint, id: bigint, backer: string): bigint {
    const raw = state.get(keys.unbondingByNodeEntry(id, time, backer));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  },
  unbondingsOf(state: KVReader, backer: string): Array<{ nodeId: bigint; time: bigint; amount: bigint }> {
    const prefix = keys.unbondingByBacker(backer);
    return state.iterate(prefix).map(([k]) => {
      const [time, id] = k.slice(prefix.length).split("/").map(BigInt);
      return { nodeId: id, time, amount: BigInt(dec.decode(state.get(keys.unbonding(time, id, backer))!)) };
    });
  },
  allUnbondings(state: KVReader): Array<{ nodeId: bigint; backer: string; time: bigint; amount: bigint; created: bigint }> {
    return state.iterate(keys.unbondingQueue).map(([k, v]) => {
      const [time, id, backer] = k.slice(keys.unbondingQueue.length).split("/");
      return { nodeId: BigInt(id), backer, time: BigInt(time), amount: BigInt(dec.decode(v)), created: this.unbondingCreated(state, BigInt(time), BigInt(id), backer) };
    });
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
      ctx.store.set(keys.unbonding(u.time, id, u.backer), enc.encode((u.amount - cut).toString()));
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
    const [hit] = state.iterate(keys.commissionHistory(n.id), undefined, { from: keys.commissionFrom(n.id, epoch), limit: 1 });
    return hit ? dec.decode(hit[1]) : effectiveCommission(n, epoch);
  },
  /**
   * Keeps the history a change announced in `epoch` needs: the rates in force so far (from
   * the node record, the first time) and the new one from epoch + 1.
   */
  recordCommissionChange(store: KVStore, before: Node, after: Node, epoch: bigint): void {
    if (store.iterate(keys.commissionHistory(before.id), undefined, { limit: 1 }).length === 0) {
      store.set(keys.commissionFrom(before.id, 0n), enc.encode(before.commission));
      if (before.pendingCommission) store.set(keys.commissionFrom(before.id, before.pendingCommissionEpoch), enc.encode(before.pendingCommission));
    }
    store.set(keys.commissionFrom(before.id, epoch + 1n), enc.encode(after.pendingCommission));
  },
  setCommissionRate(store: KVStore, id: bigint, from: bigint, rate: string): void {
    store.set(keys.commissionFrom(id, from), enc.encode(rate));
  },
  commissionHistoryOf(state: KVReader, id: bigint): Array<{ fromEpoch: bigint; rate: string }> {
    const prefix = keys.commissionHistory(id);
    return state.iterate(prefix).map(([k, v]) => ({ fromEpoch: MAX_EPOCH - BigInt(k.slice(prefix.length)), rate: dec.decode(v) })).reverse();
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
