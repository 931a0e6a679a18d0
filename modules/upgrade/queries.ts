import {
  QueryAppliedPlanRequest, QueryAppliedPlanResponse, QueryAuthorityRequest, QueryAuthorityResponse, QueryCurrentPlanRequest, QueryCurrentPlanResponse,
  QueryModuleVersionsRequest, QueryModuleVersionsResponse,
} from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { govAuthority } from "../../chain/params-route.ts";
import { upgradeKeeper } from "./keeper.ts";

const Q = "/cosmos.upgrade.v1beta1.Query/";

export const upgradeQueries: QueryRoute[] = [
  queryRoute(Q + "CurrentPlan", QueryCurrentPlanRequest, QueryCurrentPlanResponse, (state) => ({ plan: upgradeKeeper.plan(state) })),
  queryRoute(Q + "AppliedPlan", QueryAppliedPlanRequest, QueryAppliedPlanResponse, (state, r) => ({ height: upgradeKeeper.doneAt(state, r.name) ?? 0n })),
  queryRoute(Q + "ModuleVersions", QueryModuleVersionsRequest, QueryModuleVersionsResponse, (state, r) => ({
    moduleVersions: upgradeKeeper.versions(state).filter((v) => !r.moduleName || v.name === r.moduleName),
  })),
  queryRoute(Q + "Authority", QueryAuthorityRequest, QueryAuthorityResponse, () => ({ address: govAuthority() })),
];
