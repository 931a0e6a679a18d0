import {
  MsgAddGuarantee, MsgAddGuaranteeResponse, MsgDeregisterNode, MsgDeregisterNodeResponse, MsgRegisterNode, MsgRegisterNodeResponse,
  MsgRemoveGuarantee, MsgRemoveGuaranteeResponse, MsgUpdateNode, MsgUpdateNodeResponse, MsgUpdateParams, MsgWithdrawNodeRewards,
  MsgWithdrawNodeRewardsResponse,
} from "../../proto/gen/aro/peernode/v1/tx.ts";
import { NodeStatus, type Node, type Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { Coin } from "../../proto/gen/cosmos/base/v1beta1/coin.ts";
import { validateAddress } from "../../chain/address.ts";
import { formatCoins, positiveAmountIn } from "../../chain/coins.ts";
import { decToString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { isRegistered } from "./bond.ts";
import { peernodeErrors } from "./errors.ts";
import { MAX_UNBONDING_ENTRIES, REWARD_POOL } from "./keys.ts";
import { peernodeKeeper as k, poolOf } from "./keeper.ts";
import { tokensForShares } from "../../chain/share-pool.ts";
import { validatePeernodeParams } from "./params.ts";
import { announceCommission, registrationLimits } from "./commission.ts";
import { epochs } from "../epochs/epochs.ts";
import { parseCommission, validateAddresses, validateNat, validatePeerId, validateRegion, validateResources, validateServices } from "./validation.ts";

const M = "/aro.peernode.v1.";
const reply = <T>(name: string, type: { encode(m: T): { finish(): Uint8Array } }, value: T) => ({ typeUrl: M + name, value: type.encode(value).finish() });

const bondAmount = (ctx: Context, coin: Coin | undefined) => positiveAmountIn(coin, k.bondDenom(ctx.store));

function requirePeerIdFree(ctx: Context, peerId: string, self?: bigint): void {
  const other = k.nodeByPeerId(ctx.store, peerId);
  if (other !== undefined && other !== self) throw peernodeErrors.peerIdTaken.wrap(`node ${other} uses ${peerId}`);
}

const registerNode = msgRoute<MsgRegisterNode>({
  typeUrl: M + "MsgRegisterNode",
  type: MsgRegisterNode,
  signers: (m) => [m.owner],
  validate(m) {
    validateAddress(m.owner, "owner");
    validateAddress(m.operator, "operator");
    validatePeerId(m.peerId);
    validateServices(m.services);
    validateNat(m.natType);
    validateResources(m.resources);
    if (!m.bond) throw sdkErrors.invalidCoins.wrap("bond is missing");
  },
  handle(ctx, m) {
    const params = k.getParams(ctx.store);
    validateAddresses(m.multiaddrs, m.endpoints, params.maxAddresses);
    validateRegion(m.region, params);
    const commission = parseCommission(m.commission, params);
    const limits = registrationLimits(m.maxCommissionRate, m.maxCommissionChangeRate, commission, params);
    const bond = bondAmount(ctx, m.bond);
    if (bond < BigInt(params.minBond)) throw peernodeErrors.bondTooSmall.wrap(`${bond} < ${params.minBond}`);
    requirePeerIdFree(ctx, m.peerId);
    const id = k.nodeIds.next(ctx.store);
    const node: Node = {
      id, owner: m.owner, operator: m.operator, peerId: m.peerId, multiaddrs: m.multiaddrs, endpoints: m.endpoints, region: m.region,
      resources: m.resources, natType: m.natType, services: m.services, commission: decToString(commission), status: NodeStatus.NODE_STATUS_ACTIVE,
      guaranteeTokens: "0", guaranteeShares: "0", registeredHeight: ctx.block.height, rewardPerShare: "0", ownerCommission: "0", slashes: 0n,
      ...limits, pendingCommission: "", pendingCommissionEpoch: 0n,
    };
    k.setNode(ctx.store, node);
    k.addGuarantee(ctx, id, m.owner, bond);
    ctx.events.emit("register_node", { node_id: id.toString(), owner: m.owner, operator: m.operator, region: m.region, bond: `${bond}${k.bondDenom(ctx.store)}` });
    return reply("MsgRegisterNodeResponse", MsgRegisterNodeResponse, { nodeId: id });
  },
});

const updateNode = msgRoute<MsgUpdateNode>({
  typeUrl: M + "MsgUpdateNode",
  type: MsgUpdateNode,
  signers: (m) => [m.owner],
  validate(m) {
    validateAddress(m.owner, "owner");
    if (m.operator) validateAddress(m.operator, "operator");
    if (m.peerId) validatePeerId(m.peerId);
    if (m.services.length) validateServices(m.services);
    if (m.natType) validateNat(m.natType);
    if (m.resources) validateResources(m.resources);
  },
  handle(ctx, m) {
    const n = k.mustRegistered(ctx.store, m.nodeId);
    k.requireOwner(n, m.owner);
    const params = k.getParams(ctx.store);
    // a commission change is announced now and in force from the next epoch (commission.ts)
    const epoch = epochs.of(ctx.store, ctx.block.height);
    const announced = m.commission ? announceCommission(n, parseCommission(m.commission, params), epoch, params) : n;
    // the rate of every epoch already started stays as it was, whatever is announced later
    if (m.commission) k.recordCommissionChange(ctx.store, n, announced, epoch);
    const next: Node = {
      ...announced,
      operator: m.operator || n.operator,
      peerId: m.peerId || n.peerId,
      multiaddrs: m.multiaddrs.length ? m.multiaddrs : n.multiaddrs,
      endpoints: m.endpoints.length ? m.endpoints : n.endpoints,
      region: m.region || n.region,
      resources: m.resources ?? n.resources,
      natType: m.natType || n.natType,
      services: m.services.length ? m.services : n.services,
    };
    validateAddresses(next.multiaddrs, next.endpoints, params.maxAddresses);
    validateRegion(next.region, params);
    requirePeerIdFree(ctx, next.peerId, n.id);
    k.setNode(ctx.store, next);
    ctx.events.emit("update_node", {
      node_id: n.id.toString(), region: next.region, commission: next.commission, pending_commission: next.pendingCommission, pending_commission_epoch: next.pendingCommissionEpoch.toString(),
    });
    return reply("MsgUpdateNodeResponse", MsgUpdateNodeResponse, {});
  },
});

const addGuarantee = msgRoute<MsgAddGuarantee>({
  typeUrl: M + "MsgAddGuarantee",
  type: MsgAddGuarantee,
  signers: (m) => [m.backer],
  validate(m) {
    validateAddress(m.backer, "backer");
    if (!m.amount) throw sdkErrors.invalidCoins.wrap("amount is missing");
  },
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const shares = k.addGuarantee(ctx, m.nodeId, m.backer, amount);
    ctx.events.emit("add_guarantee", { node_id: m.nodeId.toString(), backer: m.backer, amount: `${amount}${k.bondDenom(ctx.store)}` });
    return reply("MsgAddGuaranteeResponse", MsgAddGuaranteeResponse, { shares: decToString(shares) });
  },
});

const removeGuarantee = msgRoute<MsgRemoveGuarantee>({
  typeUrl: M + "MsgRemoveGuarantee",
  type: MsgRemoveGuarantee,
  signers: (m) => [m.backer],
  validate(m) {
    validateAddress(m.backer, "backer");
    if (!m.amount) throw sdkErrors.invalidCoins.wrap("amount is missing");
  },
  handle(ctx, m) {
    const amount = bondAmount(ctx, m.amount);
    const n = k.mustNode(ctx.store, m.nodeId);
    if (n.owner === m.backer && isRegistered(n)) {
      const left = k.getGuarantee(ctx.store, n.id, n.owner);
      const ownTokens = left ? tokensForShares(poolOf(n), BigInt(left.shares)) : 0n;
      if (ownTokens - amount < BigInt(k.getParams(ctx.store).minBond)) {
        throw peernodeErrors.bondTooSmall.wrap("the owner's bond may not drop below the minimum while the node is registered; deregister it instead");
      }
    }
    const open = k.unbondingsOf(ctx.store, m.backer).filter((u) => u.nodeId === m.nodeId).length;
    if (open >= MAX_UNBONDING_ENTRIES) {
      throw peernodeErrors.tooManyUnbondings.wrap(`${m.backer} already has ${open} unbonding entries behind node ${m.nodeId} (at most ${MAX_UNBONDING_ENTRIES}); wait for one to complete`);
    }
    const done = k.removeGuarantee(ctx, m.nodeId, m.backer, amount);
    ctx.events.emit("remove_guarantee", { node_id: m.nodeId.toString(), backer: m.backer, amount: `${amount}${k.bondDenom(ctx.store)}`, completion_time: done.toString() });
    return reply("MsgRemoveGuaranteeResponse", MsgRemoveGuaranteeResponse, { completionTime: done });
  },
});

/** Deregistration (ACTIVE or UNDERBONDED): the node leaves every index and each guarantee (at most max_backers + 1) starts unbonding. */
const deregisterNode = msgRoute<MsgDeregisterNode>({
  typeUrl: M + "MsgDeregisterNode",
  type: MsgDeregisterNode,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const n = k.mustRegistered(ctx.store, m.nodeId);
    k.requireOwner(n, m.owner);
    k.setNode(ctx.store, { ...n, status: NodeStatus.NODE_STATUS_DEREGISTERED });
    let done = ctx.block.timeSeconds + k.getParams(ctx.store).unbondingTime;
    for (const g of k.guaranteesOf(ctx.store, n.id)) {
      const now = k.mustNode(ctx.store, n.id);
      const tokens = tokensForShares(poolOf(now), BigInt(g.shares));
      if (tokens > 0n) done = k.removeGuarantee(ctx, n.id, g.backer, tokens);
      else k.setGuarantee(ctx.store, { ...g, shares: "0" });
    }
    ctx.events.emit("deregister_node", { node_id: n.id.toString(), owner: m.owner, completion_time: done.toString() });
    return reply("MsgDeregisterNodeResponse", MsgDeregisterNodeResponse, { completionTime: done });
  },
});

const withdrawRewards = msgRoute<MsgWithdrawNodeRewards>({
  typeUrl: M + "MsgWithdrawNodeRewards",
  type: MsgWithdrawNodeRewards,
  signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const n = k.mustNode(ctx.store, m.nodeId);
    const g = k.getGuarantee(ctx.store, n.id, m.address);
    if (!g && n.owner !== m.address) throw peernodeErrors.noGuarantee.wrap(`${m.address} behind node ${n.id}`);
    let total = g ? k.payGuaranteeRewards(ctx, n, g) : 0n;
    const commission = n.owner === m.address ? BigInt(n.ownerCommission || "0") : 0n;
    const denom = k.bondDenom(ctx.store);
    if (commission > 0n) {
      bankKeeper.sendCoins(ctx, moduleAddress(REWARD_POOL), m.address, [{ denom, amount: commission }]);
      k.setNode(ctx.store, { ...k.mustNode(ctx.store, n.id), ownerCommission: "0" });
      total += commission;
    }
    const amount = total > 0n ? [{ denom, amount: total }] : [];
    ctx.events.emit("withdraw_node_rewards", { node_id: n.id.toString(), address: m.address, amount: formatCoins(amount), commission: commission.toString() });
    return reply("MsgWithdrawNodeRewardsResponse", MsgWithdrawNodeRewardsResponse, { amount: amount.map((a) => ({ denom: a.denom, amount: a.amount.toString() })) });
  },
});

export const peernodeMsgs: MsgRoute[] = [
  registerNode, updateNode, addGuarantee, removeGuarantee, deregisterNode, withdrawRewards,
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validatePeernodeParams, set: (s, p) => k.setParams(s, p) }),
];
