import { GenesisState, NodeStatus } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { isRegistered, statusForGuarantee } from "./bond.ts";
import { BOND_POOL, REWARD_POOL } from "./keys.ts";
import { peernodeKeeper as k } from "./keeper.ts";
import { peernodeStore } from "./store.ts";
import { defaultPeernodeParams, validatePeernodeParams } from "./params.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

export const defaultPeernodeGenesis = (): unknown => GenesisState.toJSON({ params: defaultPeernodeParams, nodes: [], guarantees: [], unbondings: [], nextNodeId: 1n, commissionHistory: [] });

export function initPeernodeGenesis(ctx: Context, raw: unknown): void {
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(raw ?? {});
  } catch (err) {
    throw sdkErrors.invalidRequest.wrap(`peernode genesis: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultPeernodeParams;
  validatePeernodeParams(params);
  k.setParams(ctx.store, params);
  // a registered node's status follows its guarantee: under min_bond it is UNDERBONDED
  for (const n of g.nodes) k.setNode(ctx.store, { ...n, status: statusForGuarantee(n, BigInt(params.minBond)) });
  for (const gu of g.guarantees) k.setGuarantee(ctx.store, gu);
  for (const u of g.unbondings) k.addUnbonding(ctx.store, u.completionTime, u.nodeId, u.backer, BigInt(u.amount), u.creationHeight);
  for (const c of g.commissionHistory) k.setCommissionRate(ctx.store, c.nodeId, c.fromEpoch, c.rate);
  const maxId = g.nodes.reduce((m, n) => (n.id > m ? n.id : m), 0n);
  k.nodeIds.set(ctx.store, g.nextNodeId > maxId ? g.nextNodeId : maxId + 1n);
  authKeeper.getOrCreateModuleAccount(ctx.store, BOND_POOL, ["burner"]);
  authKeeper.getOrCreateModuleAccount(ctx.store, REWARD_POOL);
  const broken = peernodeInvariants(ctx.store);
  if (broken.length) throw sdkErrors.invalidRequest.wrap(`peernode genesis is inconsistent: ${broken.join("; ")}`);
}

export function exportPeernodeGenesis(state: KVReader): unknown {
  const nodes = k.allNodes(state);
  return GenesisState.toJSON({
    params: k.getParams(state),
    nodes,
    guarantees: nodes.flatMap((n) => k.guaranteesOf(state, n.id)),
    unbondings: k.allUnbondings(state).map((u) => ({ nodeId: u.nodeId, backer: u.backer, amount: u.amount.toString(), completionTime: u.time, creationHeight: u.created })),
    nextNodeId: k.nodeIds.peek(state),
    commissionHistory: nodes.flatMap((n) => k.commissionHistoryOf(state, n.id).map((c) => ({ nodeId: n.id, fromEpoch: c.fromEpoch, rate: c.rate }))),
  });
}

/**
 * The bond account holds every node's guarantee plus what is unbonding; guarantee
 * shares add up to each node's total; the reward account covers all commission and
 * rewards owed; the assignment indexes hold exactly the ACTIVE nodes (never an
 * UNDERBONDED or deregistered one) and each registered node owns its peer id.
 */
export function peernodeInvariants(state: KVReader): string[] {
  const out: string[] = [];
  const denom = k.bondDenom(state);
  let bonded = 0n;
  let owed = 0n;
  for (const n of k.allNodes(state)) {
    bonded += BigInt(n.guaranteeTokens || "0");
    owed += BigInt(n.ownerCommission || "0");
    const guarantees = k.guaranteesOf(state, n.id);
    const shares = guarantees.reduce((s, g) => s + BigInt(g.shares), 0n);
    if (shares !== BigInt(n.guaranteeShares || "0")) out.push(`peernode/shares: node ${n.id} has ${n.guaranteeShares} shares, its guarantees ${shares}`);
    for (const g of guarantees) owed += k.pendingReward(n, g);
    if (n.status === NodeStatus.NODE_STATUS_DEREGISTERED && guarantees.length > 0) out.push(`peernode/deregistered: node ${n.id} still has guarantees`);
    if (isRegistered(n) && k.nodeByPeerId(state, n.peerId) !== n.id) out.push(`peernode/peer-id: registered node ${n.id} does not own peer id ${n.peerId}`);
  }
  out.push(...indexInvariants(state));
  const unbonding = k.allUnbondings(state).reduce((s, u) => s + u.amount, 0n);
  const held = bankKeeper.getBalance(state, moduleAddress(BOND_POOL), denom);
  if (held !== bonded + unbonding) out.push(`peernode/bond-pool: holds ${held}${denom}, guarantees ${bonded} + unbonding ${unbonding}`);
  const rewards = bankKeeper.getBalance(state, moduleAddress(REWARD_POOL), denom);
  if (rewards < owed) out.push(`peernode/reward-pool: holds ${rewards}${denom}, owes ${owed}`);
  return out;
}

/** Every assignment index (service/region) lists exactly the ACTIVE nodes that belong in it. */
function indexInvariants(state: KVReader): string[] {
  const out: string[] = [];
  const want = new Map<string, bigint[]>();
  for (const n of k.allNodes(state)) {
    if (n.status !== NodeStatus.NODE_STATUS_ACTIVE) continue;
    for (const s of n.services) {
      for (const set of [`${s}/${n.region}`, `${s}/*`]) {
        const ids = want.get(set);
        if (ids) ids.push(n.id);
        else want.set(set, [n.id]);
      }
    }
  }
  const sets = new Set([...want.keys(), ...peernodeStore.indexCount.keys(state)]);
  for (const set of [...sets].sort()) {
    const ids = want.get(set) ?? [];
    const count = k.indexCount(state, set);
    if (count !== BigInt(ids.length)) out.push(`peernode/index: ${set} counts ${count} nodes, ${ids.length} ACTIVE nodes belong in it`);
    for (const id of ids) if (!peernodeStore.indexPos.has(state, [set, id])) out.push(`peernode/index: ACTIVE node ${id} is missing from ${set}`);
  }
  return out;
}
