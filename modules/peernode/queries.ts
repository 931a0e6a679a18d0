import {
  QueryBackerGuaranteesRequest, QueryBackerGuaranteesResponse, QueryGuaranteesRequest, QueryGuaranteesResponse, QueryNodeRequest,
  QueryNodeResponse, QueryNodesRequest, QueryNodesResponse, QueryParamsRequest, QueryParamsResponse, QueryPendingRewardsRequest,
  QueryPendingRewardsResponse, type GuaranteeView,
} from "../../proto/gen/aro/peernode/v1/query.ts";
import { Service, type Guarantee, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../chain/address.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import { tokensForShares } from "../../chain/share-pool.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { pad } from "./keys.ts";
import { peernodeKeeper as k, poolOf } from "./keeper.ts";

const Q = "/aro.peernode.v1.Query/";

function view(state: KVReader, n: Node, g: Guarantee): GuaranteeView {
  return { guarantee: g, balance: { denom: k.bondDenom(state), amount: tokensForShares(poolOf(n), BigInt(g.shares)).toString() } };
}

export const peernodeQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
  queryRoute(Q + "Node", QueryNodeRequest, QueryNodeResponse, (state, req) => ({ node: k.mustNode(state, req.nodeId) })),
  queryRoute(Q + "Nodes", QueryNodesRequest, QueryNodesResponse, (state, req) => {
    if (req.owner) validateAddress(req.owner, "owner");
    // the owner index or the whole table, then filters: a listing, not a hot path
    const candidates = req.owner ? k.nodeIdsOf(state, req.owner).map((id) => k.mustNode(state, id)) : k.allNodes(state);
    const matching = candidates.filter((n) => (!req.region || n.region === req.region)
      && (req.service === Service.SERVICE_UNSPECIFIED || n.services.includes(req.service))
      && (!req.status || n.status === req.status));
    const { items, pagination } = paginate(matching.map((n) => [pad(n.id), n] as const), req.pagination);
    return { nodes: items, pagination };
  }),
  queryRoute(Q + "Guarantees", QueryGuaranteesRequest, QueryGuaranteesResponse, (state, req) => {
    const n = k.mustNode(state, req.nodeId);
    const { items, pagination } = paginate(k.guaranteesOf(state, n.id).map((g) => [g.backer, g] as const), req.pagination);
    return { guarantees: items.map((g) => view(state, n, g)), pagination };
  }),
  queryRoute(Q + "BackerGuarantees", QueryBackerGuaranteesRequest, QueryBackerGuaranteesResponse, (state, req) => {
    validateAddress(req.backer, "backer");
    return {
      guarantees: k.guaranteesByBacker(state, req.backer).map((g) => view(state, k.mustNode(state, g.nodeId), g)),
      unbondings: k.unbondingsOf(state, req.backer).map((u) => ({
        nodeId: u.nodeId, backer: req.backer, amount: u.amount.toString(), completionTime: u.time, creationHeight: k.unbondingCreated(state, u.time, u.nodeId, req.backer),
      })),
    };
  }),
  queryRoute(Q + "PendingRewards", QueryPendingRewardsRequest, QueryPendingRewardsResponse, (state, req) => {
    validateAddress(req.address);
    const n = k.mustNode(state, req.nodeId);
    const g = k.getGuarantee(state, n.id, req.address);
    const denom = k.bondDenom(state);
    const coin = (amount: bigint) => (amount > 0n ? [{ denom, amount: amount.toString() }] : []);
    return { rewards: coin(g ? k.pendingReward(n, g) : 0n), commission: coin(n.owner === req.address ? BigInt(n.ownerCommission || "0") : 0n) };
  }),
];

