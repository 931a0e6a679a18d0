import type { Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { validateDenom } from "../../chain/coins.ts";

export const defaultBankParams: Params = { sendEnabled: [], defaultSendEnabled: true };

export function bankParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultBankParams;
  const list = (j["send_enabled"] as Array<{ denom: string; enabled: boolean }>) ?? [];
  for (const e of list) validateDenom(e.denom);
  return { sendEnabled: list.map((e) => ({ denom: e.denom, enabled: !!e.enabled })), defaultSendEnabled: j["default_send_enabled"] !== false };
}

export function bankParamsToJson(p: Params): Record<string, unknown> {
  return { send_enabled: p.sendEnabled.map((e) => ({ denom: e.denom, enabled: e.enabled })), default_send_enabled: p.defaultSendEnabled };
}
