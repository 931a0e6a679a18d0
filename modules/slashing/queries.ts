import {
  QueryParamsRequest, QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { fromBech32 } from "@cosmjs/encoding";
import { VALCONS_PREFIX } from "../../chain/address.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { slashingErrors } from "./errors.ts";
import { slashingKeeper } from "./keeper.ts";

const Q = "/cosmos.slashing.v1beta1.Query/";

export const slashingQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: slashingKeeper.getParams(state) })),
  queryRoute(Q + "SigningInfo", QuerySigningInfoRequest, QuerySigningInfoResponse, (state, req) => {
    let prefix: string;
    try {
      prefix = fromBech32(req.consAddress, 90).prefix;
    } catch (err) {
      throw sdkErrors.invalidAddress.wrap(`invalid consensus address ${JSON.stringify(req.consAddress)}: ${(err as Error).message}`);
    }
    if (prefix !== VALCONS_PREFIX) throw sdkErrors.invalidAddress.wrap(`consensus address must start with ${VALCONS_PREFIX}1`);
    const valSigningInfo = slashingKeeper.getSigningInfo(state, req.consAddress);
    if (!valSigningInfo) throw slashingErrors.noSigningInfoFound.wrap(req.consAddress);
    return { valSigningInfo };
  }),
  queryRoute(Q + "SigningInfos", QuerySigningInfosRequest, QuerySigningInfosResponse, (state, req) => {
    const { items, pagination } = paginate(slashingKeeper.allSigningInfos(state).map((i) => [i.address, i] as const), req.pagination);
    return { info: items, pagination };
  }),
];
