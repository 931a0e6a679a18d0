import {
  QueryAllotmentRequest, QueryAllotmentResponse, QueryContentByRootRequest, QueryContentByRootResponse, QueryContentRequest, QueryContentResponse, QueryContentsRequest, QueryContentsResponse, QueryEscrowRequest, QueryEscrowResponse,
  QueryNodeReplicasRequest, QueryNodeReplicasResponse, QueryParamsRequest, QueryParamsResponse,
} from "../../proto/gen/aro/market/v1/query.ts";
import { validateAddress } from "../../chain/address.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { marketErrors } from "./errors.ts";
import { pad } from "./keys.ts";
import { marketKeeper as k } from "./keeper.ts";

const Q = "/aro.market.v1.Query/";
const ROOT = /^[0-9a-f]{64}$/;

export const marketQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
  queryRoute(Q + "Escrow", QueryEscrowRequest, QueryEscrowResponse, (state, req) => {
    validateAddress(req.owner, "owner");
    const escrow = k.getEscrow(state, req.owner);
    if (!escrow) throw marketErrors.noEscrow.wrap(req.owner);
    return { escrow };
  }),
  queryRoute(Q + "Allotment", QueryAllotmentRequest, QueryAllotmentResponse, (state, req) => {
    validateAddress(req.owner, "owner");
    return { allotment: k.getAllotment(state, req.owner, req.nodeId) ?? { owner: req.owner, nodeId: req.nodeId, amount: "0", thawing: "0" } };
  }),
  queryRoute(Q + "Content", QueryContentRequest, QueryContentResponse, (state, req) => ({ content: k.mustContent(state, req.contentId) })),
  queryRoute(Q + "ContentByRoot", QueryContentByRootRequest, QueryContentByRootResponse, (state, req) => {
    if (!ROOT.test(req.root)) throw marketErrors.invalidContent.wrap("root must be 64 lower-case hex digits");
    const id = k.contentByRoot(state, req.root);
    if (id === undefined) throw marketErrors.contentNotFound.wrap(`root ${req.root}`);
    return { content: k.mustContent(state, id) };
  }),
  queryRoute(Q + "Contents", QueryContentsRequest, QueryContentsResponse, (state, req) => {
    if (req.owner) validateAddress(req.owner, "owner");
    const list = req.owner ? k.contentsOf(state, req.owner) : k.allContents(state);
    const { items, pagination } = paginate(list.map((c) => [pad(c.id), c] as const), req.pagination);
    return { contents: items, pagination };
  }),
  queryRoute(Q + "NodeReplicas", QueryNodeReplicasRequest, QueryNodeReplicasResponse, (state, req) => ({
    contents: k.replicasOf(state, req.nodeId).map((id) => k.mustContent(state, id)),
  })),
];
