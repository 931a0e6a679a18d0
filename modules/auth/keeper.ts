import { BaseAccount, ModuleAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { FEE_COLLECTOR, moduleAddress } from "../../chain/module-accounts.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { keys, Map, paramsItem, Sequence, values } from "../../chain/store/collections.ts";
import { defaultAuthParams } from "./params.ts";

export const BASE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.BaseAccount";
export const MODULE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.ModuleAccount";
export const SECP256K1_PUBKEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";

/** The auth module's data model. */
const params = paramsItem("auth/params", Params, defaultAuthParams);
/** accounts by address, each an Any (BaseAccount or ModuleAccount) */
const accounts = new Map("auth/accounts/", keys.string, values.proto(Any));
const nextNumber = new Sequence("auth/next_account_number", 0n);

export interface Account {
  readonly address: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Compressed secp256k1 key, once the account has signed a tx. */
  readonly pubKey?: Uint8Array;
  readonly module?: { readonly name: string; readonly permissions: readonly string[] };
}

export { FEE_COLLECTOR, moduleAddress };

export function accountToAny(a: Account): Any {
  const base = BaseAccount.fromPartial({
    address: a.address,
    accountNumber: a.accountNumber,
    sequence: a.sequence,
    pubKey: a.pubKey ? Any.fromPartial({ typeUrl: SECP256K1_PUBKEY_TYPE, value: PubKey.encode({ key: a.pubKey }).finish() }) : undefined,
  });
  if (a.module) {
    return Any.fromPartial({
      typeUrl: MODULE_ACCOUNT_TYPE,
      value: ModuleAccount.encode({ baseAccount: base, name: a.module.name, permissions: [...a.module.permissions] }).finish(),
    });
  }
  return Any.fromPartial({ typeUrl: BASE_ACCOUNT_TYPE, value: BaseAccount.encode(base).finish() });
}

export function accountFromAny(any: Any): Account {
  let base: BaseAccount;
  let module: Account["module"];
  if (any.typeUrl === MODULE_ACCOUNT_TYPE) {
    const m = ModuleAccount.decode(any.value);
    base = m.baseAccount ?? BaseAccount.fromPartial({});
    module = { name: m.name, permissions: m.permissions };
  } else if (any.typeUrl === BASE_ACCOUNT_TYPE) {
    base = BaseAccount.decode(any.value);
  } else {
    throw new Error(`unknown account type ${any.typeUrl}`);
  }
  const pubKey = base.pubKey && base.pubKey.typeUrl === SECP256K1_PUBKEY_TYPE ? PubKey.decode(base.pubKey.value).key : undefined;
  return { address: base.address, accountNumber: base.accountNumber, sequence: base.sequence, pubKey, module };
}

/** State access of the auth module. Stateless: every call takes the store to use. */
export const authKeeper = {
  getParams(state: KVReader): Params {
    return params.get(state);
  },

  setParams(store: KVStore, p: Params): void {
    params.set(store, p);
  },

  getAccount(state: KVReader, address: string): Account | undefined {
    const any = accounts.get(state, address);
    return any ? accountFromAny(any) : undefined;
  },

  getAccountAny(state: KVReader, address: string): Any | undefined {
    return accounts.get(state, address);
  },

  setAccount(store: KVStore, account: Account): void {
    accounts.set(store, account.address, accountToAny(account));
  },

  /** Every account, by address. */
  allAccounts(state: KVReader): Array<[string, Any]> {
    return accounts.entries(state);
  },

  nextAccountNumber(store: KVStore): bigint {
    return nextNumber.next(store);
  },

  peekNextAccountNumber(state: KVReader): bigint {
    return nextNumber.peek(state);
  },

  setNextAccountNumber(store: KVStore, n: bigint): void {
    nextNumber.set(store, n);
  },

  /** Creates a plain account with the next number (the SDK does this when an unknown address receives coins). */
  createAccount(store: KVStore, address: string): Account {
    const account: Account = { address, accountNumber: this.nextAccountNumber(store), sequence: 0n };
    this.setAccount(store, account);
    return account;
  },

  /** The module account for name, created on first use. */
  getOrCreateModuleAccount(store: KVStore, name: string, permissions: readonly string[] = []): Account {
    const address = moduleAddress(name);
    const existing = this.getAccount(store, address);
    if (existing?.module) return existing;
    const account: Account = {
      address,
      accountNumber: existing?.accountNumber ?? this.nextAccountNumber(store),
      sequence: 0n,
      module: { name, permissions },
    };
    this.setAccount(store, account);
    return account;
  },
};
