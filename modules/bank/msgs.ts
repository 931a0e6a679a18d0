import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse, MsgUpdateParams } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { validateDenom } from "../../chain/coins.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { validateAddress } from "../../chain/address.ts";
import { sumAmounts, toAmounts, formatCoins } from "../../chain/coins.ts";
import { msgRoute, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { bankErrors } from "./errors.ts";
import { bankKeeper } from "./keeper.ts";

export const MSG_SEND = "/cosmos.bank.v1beta1.MsgSend";
export const MSG_MULTI_SEND = "/cosmos.bank.v1beta1.MsgMultiSend";

const sendRoute = msgRoute<MsgSend>({
  typeUrl: MSG_SEND,
  type: MsgSend,
  signers: (msg) => [msg.fromAddress],
  validate(msg) {
    validateAddress(msg.fromAddress, "from address");
    validateAddress(msg.toAddress, "to address");
    toAmounts(msg.amount);
  },
  handle(ctx, msg) {
    const amounts = toAmounts(msg.amount);
    bankKeeper.checkSendEnabled(ctx.store, amounts);
    bankKeeper.requireReceivable(ctx, msg.toAddress);
    bankKeeper.sendCoins(ctx, msg.fromAddress, msg.toAddress, amounts);
    ctx.events.emit("message", { sender: msg.fromAddress });
    return reply("/cosmos.bank.v1beta1.MsgSendResponse", MsgSendResponse, {});
  },
});

const multiSendRoute = msgRoute<MsgMultiSend>({
  typeUrl: MSG_MULTI_SEND,
  type: MsgMultiSend,
  signers: (msg) => msg.inputs.map((i) => i.address),
  validate(msg) {
    if (msg.inputs.length === 0) throw bankErrors.noInputs.wrap("");
    if (msg.inputs.length > 1) throw bankErrors.multipleSenders.wrap(`got ${msg.inputs.length} inputs, only 1 is allowed`);
    if (msg.outputs.length === 0) throw bankErrors.noOutputs.wrap("");
    const ins = msg.inputs.map((i) => (validateAddress(i.address, "input address"), toAmounts(i.coins)));
    const outs = msg.outputs.map((o) => (validateAddress(o.address, "output address"), toAmounts(o.coins)));
    const a = formatCoins(sumAmounts(ins));
    const b = formatCoins(sumAmounts(outs));
    if (a !== b) throw bankErrors.inputOutputMismatch.wrap(`inputs ${a} != outputs ${b}`);
  },
  handle(ctx, msg) {
    const input = msg.inputs[0];
    const inAmounts = toAmounts(input.coins);
    bankKeeper.checkSendEnabled(ctx.store, inAmounts);
    for (const out of msg.outputs) bankKeeper.requireReceivable(ctx, out.address);
    bankKeeper.subtractCoins(ctx, input.address, inAmounts);
    ctx.events.emit("message", { sender: input.address });
    for (const out of msg.outputs) {
      const amounts = toAmounts(out.coins);
      bankKeeper.addCoins(ctx, out.address, amounts);
      bankKeeper.ensureAccount(ctx, out.address);
      ctx.events.emit("transfer", { recipient: out.address, amount: formatCoins(amounts) });
    }
    return reply("/cosmos.bank.v1beta1.MsgMultiSendResponse", MsgMultiSendResponse, {});
  },
});

const updateParams = updateParamsRoute<Params>({
  typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParams",
  type: MsgUpdateParams,
  validate: (p) => p.sendEnabled.forEach((e) => validateDenom(e.denom)),
  set: (s, p) => bankKeeper.setParams(s, p),
});

export const bankMsgs: MsgRoute[] = [sendRoute, multiSendRoute, updateParams];
