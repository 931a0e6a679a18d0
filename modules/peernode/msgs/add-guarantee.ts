import { MsgAddGuarantee, MsgAddGuaranteeResponse } from "../../../proto/gen/aro/peernode/v1/tx.ts";
import { validateAddress } from "../../../chain/address.ts";
import { decToString } from "../../../chain/dec.ts";
import { sdkErrors } from "../../../chain/errors.ts";
import { msgRoute } from "../../../chain/module.ts";
import { reply } from "../../../chain/msg-reply.ts";
import { peernodeKeeper as k } from "../keeper.ts";
import { bondAmount } from "./common.ts";

/** MsgAddGuarantee: coins of a backer (or the owner) into a node's guarantee, for shares of it. */
export const addGuarantee = msgRoute<MsgAddGuarantee>({
  typeUrl: "/aro.peernode.v1.MsgAddGuarantee",
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
    return reply("/aro.peernode.v1.MsgAddGuaranteeResponse", MsgAddGuaranteeResponse, { shares: decToString(shares) });
  },
});
