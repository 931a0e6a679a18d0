import { MsgUpdateNode, MsgUpdateNodeResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { epochs } from "../../epochs/epochs.ts";
import { announceCommission } from "../commission.ts";
import { peernodeKeeper as k } from "../keeper.ts";
import { parseCommission, validateAddresses, validateNat, validatePeerId, validateRegion, validateResources, validateServices } from "../validation.ts";
import { requirePeerIdFree } from "./common.ts";
import type { Node } from "../../../proto/gen/aro/peernode/v1/peernode.ts";

/** MsgUpdateNode: the owner changes its node's addresses, region, resources, services or operator, or announces a commission change (in force from the next epoch). */
export const updateNode = msgRoute<MsgUpdateNode>({
  typeUrl: "/aro.peernode.v1.MsgUpdateNode",
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
    return reply("/aro.peernode.v1.MsgUpdateNodeResponse", MsgUpdateNodeResponse, {});
  },
});
