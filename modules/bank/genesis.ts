import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { validateAddress } from "../../chain/address.ts";
import { BASE_DENOM, formatCoins, sumAmounts, toAmounts, toWireCoins, validateDenom } from "../../chain/coins.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { bankKeeper } from "./keeper.ts";
import { bankParamsFromJson, bankParamsToJson, defaultBankParams } from "./params.ts";

type JsonCoin = { denom: string; amount: string };

/** The SDK's JSON shape of x/bank genesis. */
export interface BankGenesis {
  params?: Record<string, unknown>;
  balances?: Array<{ address: string; coins: JsonCoin[] }>;
  supply?: JsonCoin[];
  denom_metadata?: Array<Record<string, unknown>>;
  send_enabled?: unknown[];
}

/** uaro (6 decimals, displayed as aro): the chain's staking and fee token. */
export const aroMetadata = {
  description: "The native token of the Aro chain",
  denom_units: [
    { denom: BASE_DENOM, exponent: 0, aliases: ["microaro"] },
    { denom: "maro", exponent: 3, aliases: ["milliaro"] },
    { denom: "aro", exponent: 6, aliases: [] },
  ],
  base: BASE_DENOM,
  display: "aro",
  name: "Aro",
  symbol: "ARO",
  uri: "",
  uri_hash: "",
};

export function defaultBankGenesis(): BankGenesis {
  return { params: bankParamsToJson(defaultBankParams), balances: [], supply: [], denom_metadata: [aroMetadata], send_enabled: [] };
}

function metadataFromJson(j: Record<string, unknown>): Metadata {
  const units = (j["denom_units"] as Array<Record<string, unknown>>) ?? [];
  const base = String(j["base"] ?? "");
  validateDenom(base);
  return {
    description: String(j["description"] ?? ""),
    denomUnits: units.map((u) => ({ denom: String(u["denom"]), exponent: Number(u["exponent"] ?? 0), aliases: (u["aliases"] as string[]) ?? [] })),
    base,
    display: String(j["display"] ?? ""),
    name: String(j["name"] ?? ""),
    symbol: String(j["symbol"] ?? ""),
    uri: String(j["uri"] ?? ""),
    uriHash: String(j["uri_hash"] ?? ""),
  };
}

function metadataToJson(m: Metadata): Record<string, unknown> {
  return {
    description: m.description,
    denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
    base: m.base, display: m.display, name: m.name, symbol: m.symbol, uri: m.uri, uri_hash: m.uriHash,
  };
}

export function initBankGenesis(ctx: Context, raw: unknown): void {
  const g = (raw ?? {}) as BankGenesis;
  bankKeeper.setParams(ctx.store, bankParamsFromJson(g.params));
  const seen = new Set<string>();
  const all = (g.balances ?? []).map((b) => {
    validateAddress(b.address, "genesis balance address");
    if (seen.has(b.address)) throw sdkErrors.invalidRequest.wrap(`duplicate genesis balance for ${b.address}`);
    seen.add(b.address);
    const coins = toAmounts(b.coins, { allowEmpty: true });
    for (const c of coins) bankKeeper.setBalance(ctx.store, b.address, c.denom, c.amount);
    return coins;
  });
  const total = sumAmounts(all);
  const declared = toAmounts(g.supply ?? [], { allowEmpty: true });
  if (declared.length > 0 && formatCoins(declared) !== formatCoins(total)) {
    throw sdkErrors.invalidCoins.wrap(`genesis supply ${formatCoins(declared)} does not equal the sum of balances ${formatCoins(total)}`);
  }
  for (const c of total) bankKeeper.setSupply(ctx.store, c.denom, c.amount);
  for (const m of g.denom_metadata ?? []) bankKeeper.setDenomMetadata(ctx.store, metadataFromJson(m));
}

export function exportBankGenesis(state: KVReader): BankGenesis {
  return {
    params: bankParamsToJson(bankKeeper.getParams(state)),
    balances: bankKeeper.allBalances(state).map((b) => ({ address: b.address, coins: toWireCoins(b.coins) })),
    supply: toWireCoins(bankKeeper.getTotalSupply(state)),
    denom_metadata: bankKeeper.allDenomMetadata(state).map(([, m]) => metadataToJson(m)),
    send_enabled: [],
  };
}

/** Total supply equals the sum of all balances, per denom. */
export function bankInvariants(state: KVReader): string[] {
  const sum = formatCoins(sumAmounts(bankKeeper.allBalances(state).map((b) => b.coins)));
  const supply = formatCoins(bankKeeper.getTotalSupply(state));
  return sum === supply ? [] : [`bank/total-supply: supply ${supply} != sum of balances ${sum}`];
}
