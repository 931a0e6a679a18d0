import { Node, NodeStatus, Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { assignmentIndex, indexSets } from "./assignment-index.ts";
import { coversBond, isRegistered, statusForGuarantee } from "./bond.ts";
import { peernodeErrors } from "./errors.ts";
import { peernodeStore as c } from "./store.ts";
import { stakingKeeper } from "./expected.ts";

/** Params and node records of aro/peernode: lookups, the checks on them, and writes that keep the indexes in step. */
export const nodes = {
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
    const n = nodes.getNode(state, id);
    if (!n) throw peernodeErrors.nodeNotFound.wrap(`node ${id}`);
    return n;
  },
  /** ACTIVE or UNDERBONDED: its owner may update, top up or deregister it, its operator finish its work. */
  mustRegistered(state: KVReader, id: bigint): Node {
    const n = nodes.mustNode(state, id);
    if (!isRegistered(n)) throw peernodeErrors.nodeNotActive.wrap(`node ${id} is deregistered`);
    return n;
  },
  /** Whether a node may be assigned work and paid for it: ACTIVE with a guarantee of at least min_bond. */
  isBonded(state: KVReader, n: Node): boolean {
    return coversBond(n, BigInt(nodes.getParams(state).minBond));
  },
  /** For new work (claims): the node must be registered and bonded (peernode/14 when under min_bond). */
  requireBonded(state: KVReader, id: bigint): Node {
    const n = nodes.mustRegistered(state, id);
    if (!nodes.isBonded(state, n)) {
      throw peernodeErrors.nodeUnderbonded.wrap(`node ${id} has a guarantee of ${n.guaranteeTokens || "0"}, min_bond is ${nodes.getParams(state).minBond}; add guarantee to bring it back`);
    }
    return n;
  },
  /**
   * Writes a node whose guarantee changed: a registered node becomes UNDERBONDED when its
   * guarantee falls under min_bond (leaving the assignment indexes) and ACTIVE again once
   * it is back at min_bond. Returns the node as written.
   */
  setGuaranteed(ctx: Context, n: Node): Node {
    const minBond = nodes.getParams(ctx.store).minBond;
    const status = statusForGuarantee(n, BigInt(minBond));
    const next = status === n.status ? n : { ...n, status };
    nodes.setNode(ctx.store, next);
    if (status !== n.status) {
      const event = status === NodeStatus.NODE_STATUS_UNDERBONDED ? "node_underbonded" : "node_bonded";
      ctx.events.emit(event, { node_id: n.id.toString(), guarantee: n.guaranteeTokens || "0", min_bond: minBond });
    }
    return next;
  },
  /** Writes a node and keeps the owner, peer id and service/region indexes in step. */
  setNode(store: KVStore, n: Node): void {
    const before = nodes.getNode(store, n.id);
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
      if (before.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(before)) assignmentIndex.indexRemove(store, set, before.id);
    }
    c.nodes.set(store, n.id, n);
    c.byOwner.add(store, [n.owner, n.id]);
    // a peer id stays taken while its node is registered, underbonded or not
    if (isRegistered(n)) c.byPeerId.set(store, n.peerId, n.id);
    if (n.status === NodeStatus.NODE_STATUS_ACTIVE) for (const set of indexSets(n)) assignmentIndex.indexAdd(store, set, n.id);
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

  requireOwner(n: Node, signer: string): void {
    if (n.owner !== signer) throw peernodeErrors.notOwner.wrap(`node ${n.id} is owned by ${n.owner}`);
  },
  /**
   * For claims, proofs and job results: the node's operator key or its owner. An
   * UNDERBONDED node still answers for work it was given; new work checks requireBonded.
   */
  requireOperator(state: KVReader, id: bigint, signer: string): Node {
    const n = nodes.mustRegistered(state, id);
    if (n.operator !== signer && n.owner !== signer) throw peernodeErrors.notOperator.wrap(`node ${id}`);
    return n;
  },
};
