import { MsgRegisterNode, MsgRegisterNodeResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { NodeStatus, type Node } from "../../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../../chain/address.ts";
import { decToString } from "../../../chain/dec.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { registrationLimits } from "../commission.ts";
import { peernodeErrors } from "../errors.ts";
import { peernodeKeeper as k } from "../keeper.ts";
import { parseCommission, validateAddresses, validateNat, validatePeerId, validateRegion, validateResources, validateServices } from "../validation.ts";
import { bondAmount, requirePeerIdFree } from "./common.ts";

/** MsgRegisterNode: a new node, ACTIVE, with its owner's bond (at least min_bond) as its first guarantee. */
export const registerNode = msgRoute<MsgRegisterNode>({
  typeUrl: "/aro.peernode.v1.MsgRegisterNode",
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
    return reply("/aro.peernode.v1.MsgRegisterNodeResponse", MsgRegisterNodeResponse, { nodeId: id });
  },
});
