import { validateAddress } from "../../chain/address.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { authKeeper, BASE_ACCOUNT_TYPE, FEE_COLLECTOR, MODULE_ACCOUNT_TYPE, SECP256K1_PUBKEY_TYPE, type Account } from "./keeper.ts";
import { authParamsFromJson, authParamsToJson, defaultAuthParams } from "./params.ts";

/** The SDK's JSON shape of x/auth genesis (snake_case, accounts as typed objects). */
export interface AuthGenesis {
  params?: Record<string, string>;
  accounts?: Array<Record<string, unknown>>;
}

export function defaultAuthGenesis(): AuthGenesis {
  return { params: authParamsToJson(defaultAuthParams), accounts: [] };
}

function accountFromJson(j: Record<string, unknown>, index: number): Account {
  const type = j["@type"];
  const base = (type === MODULE_ACCOUNT_TYPE ? (j["base_account"] as Record<string, unknown>) : j) ?? {};
  if (type !== BASE_ACCOUNT_TYPE && type !== MODULE_ACCOUNT_TYPE) {
    throw sdkErrors.invalidType.wrap(`genesis account ${index}: unsupported @type ${JSON.stringify(type)}`);
  }
  const address = validateAddress(String(base["address"] ?? ""), `genesis account ${index} address`);
  const pk = base["pub_key"] as Record<string, unknown> | null | undefined;
  let pubKey: Uint8Array | undefined;
  if (pk) {
    if (pk["@type"] !== SECP256K1_PUBKEY_TYPE) throw sdkErrors.invalidPubKey.wrap(`genesis account ${address}: unsupported key type`);
    pubKey = new Uint8Array(Buffer.from(String(pk["key"]), "base64"));
  }
  return {
    address,
    accountNumber: BigInt(String(base["account_number"] ?? "0")),
    sequence: BigInt(String(base["sequence"] ?? "0")),
    pubKey,
    module: type === MODULE_ACCOUNT_TYPE ? { name: String(j["name"]), permissions: (j["permissions"] as string[]) ?? [] } : undefined,
  };
}

function accountToJson(a: Account): Record<string, unknown> {
  const base = {
    address: a.address,
    pub_key: a.pubKey ? { "@type": SECP256K1_PUBKEY_TYPE, key: Buffer.from(a.pubKey).toString("base64") } : null,
    account_number: a.accountNumber.toString(),
    sequence: a.sequence.toString(),
  };
  if (a.module) return { "@type": MODULE_ACCOUNT_TYPE, base_account: base, name: a.module.name, permissions: a.module.permissions };
  return { "@type": BASE_ACCOUNT_TYPE, ...base };
}

export function initAuthGenesis(ctx: Context, raw: unknown): void {
  const g = (raw ?? {}) as AuthGenesis;
  authKeeper.setParams(ctx.store, authParamsFromJson(g.params));
  // As the SDK's InitGenesis: accounts keep their relative order by number and are
  // renumbered 0, 1, 2, ... (`genesis add-account` writes them all as 0).
  const accounts = (g.accounts ?? []).map((j, i) => ({ a: accountFromJson(j, i), i }));
  accounts.sort((x, y) => (x.a.accountNumber < y.a.accountNumber ? -1 : x.a.accountNumber > y.a.accountNumber ? 1 : x.i - y.i));
  authKeeper.setNextAccountNumber(ctx.store, 0n);
  for (const { a } of accounts) {
    if (authKeeper.getAccount(ctx.store, a.address)) throw sdkErrors.invalidRequest.wrap(`duplicate genesis account ${a.address}`);
    authKeeper.setAccount(ctx.store, { ...a, accountNumber: authKeeper.nextAccountNumber(ctx.store) });
  }
  authKeeper.getOrCreateModuleAccount(ctx.store, FEE_COLLECTOR);
}

export function exportAuthGenesis(state: KVReader): AuthGenesis {
  return {
    params: authParamsToJson(authKeeper.getParams(state)),
    accounts: authKeeper.allAccounts(state).map(([addr]) => accountToJson(authKeeper.getAccount(state, addr)!)),
  };
}
