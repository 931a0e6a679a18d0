import { MsgRevokeDeliveryGrant, MsgRevokeDeliveryGrantResponse } from "../../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { grantShapeFault } from "../../../protocol/delivery.ts";
import { gpowErrors } from "../errors.ts";
import { revokeGrant } from "../grants.ts";

/** MsgRevokeDeliveryGrant: the publisher stops paying for a grant's receipts from the next epoch on (grants.ts). */
export const revokeDeliveryGrant = msgRoute<MsgRevokeDeliveryGrant>({
  typeUrl: "/aro.gpow.v1.MsgRevokeDeliveryGrant", type: MsgRevokeDeliveryGrant, signers: (m) => [m.publisher],
  validate: (m) => {
    validateAddress(m.publisher, "publisher");
    if (!m.grant) throw gpowErrors.invalidGrant.wrap("grant is required");
  },
  handle(ctx, m) {
    const fault = grantShapeFault(m.grant!, ctx.block.chainId);
    if (fault) throw gpowErrors.invalidGrant.wrap(fault.reason);
    const revokedFromEpoch = revokeGrant(ctx, m.publisher, m.grant!);
    return reply("/aro.gpow.v1.MsgRevokeDeliveryGrantResponse", MsgRevokeDeliveryGrantResponse, { revokedFromEpoch });
  },
});
