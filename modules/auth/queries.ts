import {
  QueryAccountRequest, QueryAccountResponse, QueryAccountsRequest, QueryAccountsResponse,
  QueryParamsRequest, QueryParamsResponse, QueryModuleAccountsRequest, QueryModuleAccountsResponse,
  QueryModuleAccountByNameRequest, QueryModuleAccountByNameResponse, Bech32PrefixRequest, Bech32PrefixResponse,
  QueryAccountInfoRequest, QueryAccountInfoResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { BECH32_PREFIX, validateAddress } from "../../chain/address.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { authKeeper, moduleAddress, SECP256K1_PUBKEY_TYPE } from "./keeper.ts";

const Q = "/cosmos.auth.v1beta1.Query/";

function notFound(address: string) {
  // The exact text the SDK's gRPC layer produces; CosmJS's getAccount turns it into null.
  return sdkErrors.keyNotFound.wrap(`rpc error: code = NotFound desc = account ${address} not found`);
}

export const authQueries: QueryRoute[] = [
  queryRoute(Q + "Account", QueryAccountRequest, QueryAccountResponse, (state, req) => {
    validateAddress(req.address);
    const account = authKeeper.getAccountAny(state, req.address);
    if (!account) throw notFound(req.address);
    return { account };
  }),
  queryRoute(Q + "Accounts", QueryAccountsRequest, QueryAccountsResponse, (state, req) => {
    const { items, pagination } = paginate(authKeeper.allAccounts(state), req.pagination);
    return { accounts: items, pagination };
  }),
  queryRoute(Q + "AccountInfo", QueryAccountInfoRequest, QueryAccountInfoResponse, (state, req) => {
    validateAddress(req.address);
    const a = authKeeper.getAccount(state, req.address);
    if (!a) throw notFound(req.address);
    const pubKey = a.pubKey ? Any.fromPartial({ typeUrl: SECP256K1_PUBKEY_TYPE, value: PubKey.encode({ key: a.pubKey }).finish() }) : undefined;
    return { info: BaseAccount.fromPartial({ address: a.address, accountNumber: a.accountNumber, sequence: a.sequence, pubKey }) };
  }),
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: authKeeper.getParams(state) })),
  queryRoute(Q + "ModuleAccounts", QueryModuleAccountsRequest, QueryModuleAccountsResponse, (state) => ({
    accounts: authKeeper.allAccounts(state).map(([, any]) => any).filter((any) => any.typeUrl.endsWith("ModuleAccount")),
  })),
  queryRoute(Q + "ModuleAccountByName", QueryModuleAccountByNameRequest, QueryModuleAccountByNameResponse, (state, req) => {
    const any = authKeeper.getAccountAny(state, moduleAddress(req.name));
    if (!any || !any.typeUrl.endsWith("ModuleAccount")) throw sdkErrors.notFound.wrap(`module account ${req.name} does not exist`);
    return { account: any };
  }),
  queryRoute(Q + "Bech32Prefix", Bech32PrefixRequest, Bech32PrefixResponse, () => ({ bech32Prefix: BECH32_PREFIX })),
];
