import {
  QueryBalanceRequest, QueryBalanceResponse, QueryAllBalancesRequest, QueryAllBalancesResponse,
  QuerySpendableBalancesRequest, QuerySpendableBalancesResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
  QuerySupplyOfRequest, QuerySupplyOfResponse, QueryParamsRequest, QueryParamsResponse,
  QueryDenomMetadataRequest, QueryDenomMetadataResponse, QueryDenomsMetadataRequest, QueryDenomsMetadataResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { validateAddress } from "../../chain/address.ts";
import { toWireCoins, validateDenom, type Amount } from "../../chain/coins.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { bankErrors } from "./errors.ts";
import { bankKeeper } from "./keeper.ts";

const Q = "/cosmos.bank.v1beta1.Query/";
const coinEntries = (list: Amount[]) => list.map((a) => [a.denom, toWireCoins([a])[0]] as const);

export const bankQueries: QueryRoute[] = [
  queryRoute(Q + "Balance", QueryBalanceRequest, QueryBalanceResponse, (state, req) => {
    validateAddress(req.address);
    validateDenom(req.denom);
    return { balance: { denom: req.denom, amount: bankKeeper.getBalance(state, req.address, req.denom).toString() } };
  }),
  queryRoute(Q + "AllBalances", QueryAllBalancesRequest, QueryAllBalancesResponse, (state, req) => {
    validateAddress(req.address);
    const { items, pagination } = paginate(coinEntries(bankKeeper.getAllBalances(state, req.address)), req.pagination);
    return { balances: items, pagination };
  }),
  queryRoute(Q + "SpendableBalances", QuerySpendableBalancesRequest, QuerySpendableBalancesResponse, (state, req) => {
    validateAddress(req.address);
    const { items, pagination } = paginate(coinEntries(bankKeeper.getAllBalances(state, req.address)), req.pagination);
    return { balances: items, pagination };
  }),
  queryRoute(Q + "TotalSupply", QueryTotalSupplyRequest, QueryTotalSupplyResponse, (state, req) => {
    const { items, pagination } = paginate(coinEntries(bankKeeper.getTotalSupply(state)), req.pagination);
    return { supply: items, pagination };
  }),
  queryRoute(Q + "SupplyOf", QuerySupplyOfRequest, QuerySupplyOfResponse, (state, req) => {
    validateDenom(req.denom);
    return { amount: { denom: req.denom, amount: bankKeeper.getSupply(state, req.denom).toString() } };
  }),
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: bankKeeper.getParams(state) })),
  queryRoute(Q + "DenomMetadata", QueryDenomMetadataRequest, QueryDenomMetadataResponse, (state, req) => {
    validateDenom(req.denom);
    const metadata = bankKeeper.getDenomMetadata(state, req.denom);
    if (!metadata) throw bankErrors.denomMetadataNotFound.wrap(`client metadata for denom ${req.denom}`);
    return { metadata };
  }),
  queryRoute(Q + "DenomsMetadata", QueryDenomsMetadataRequest, QueryDenomsMetadataResponse, (state, req) => {
    const { items, pagination } = paginate(bankKeeper.allDenomMetadata(state), req.pagination);
    return { metadatas: items, pagination };
  }),
];
