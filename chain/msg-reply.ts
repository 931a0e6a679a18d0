import type { MsgResponse } from "./module.ts";

/**
 * A message handler's reply: the response type's full type URL and its encoded bytes.
 * `typeUrl` is the whole URL (`"/aro.market.v1.MsgDepositEscrowResponse"`); a module
 * with a type-URL prefix `M` calls `reply(M + "MsgXResponse", MsgXResponse, {...})`.
 */
export const reply = <T>(typeUrl: string, type: { encode(m: T): { finish(): Uint8Array } }, value: T): MsgResponse => ({ typeUrl, value: type.encode(value).finish() });
