import {
  QueryAssignmentsRequest, QueryAssignmentsResponse, QueryCommitteeRequest, QueryCommitteeResponse, QueryWatcherRequest, QueryWatcherResponse,
  QueryWatchersRequest, QueryWatchersResponse, QueryParamsRequest, QueryParamsResponse, QueryReportsRequest, QueryReportsResponse,
} from "../../proto/gen/aro/watcher/v1/query.ts";
import { NodeStatus } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { validateAddress } from "../../chain/address.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { paginate } from "../../chain/pagination.ts";
import { committeeFor } from "./committee.ts";
import { watcherErrors } from "./errors.ts";
import { watcherKeeper as k } from "./keeper.ts";
import { prunedEpoch } from "./prune.ts";
import { peernodeKeeper } from "./expected.ts";

const Q = "/aro.watcher.v1.Query/";
const notStarted = (state: KVReader, epoch: bigint) =>
  prunedEpoch(state, epoch) ? `the records of epoch ${epoch} are pruned (kept for record_retention_epochs settled epochs)` : `epoch ${epoch} has not started`;

export const watcherQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
  queryRoute(Q + "Watcher", QueryWatcherRequest, QueryWatcherResponse, (state, req) => ({ watcher: k.must(state, validateAddress(req.address)) })),
  queryRoute(Q + "Watchers", QueryWatchersRequest, QueryWatchersResponse, (state, req) => {
    const { items, pagination } = paginate(k.all(state).map((x) => [x.address, x] as const), req.pagination);
    return { watchers: items, pagination };
  }),
  queryRoute(Q + "Committee", QueryCommitteeRequest, QueryCommitteeResponse, (state, req) => {
    const s = k.getSnapshot(state, req.epoch);
    if (!s) throw watcherErrors.outsideWindow.wrap(notStarted(state, req.epoch));
    const node = peernodeKeeper.mustNode(state, req.nodeId);
    return { watchers: committeeFor(s, node.id, node.region, k.getParams(state).committeeSize) };
  }),
  queryRoute(Q + "Assignments", QueryAssignmentsRequest, QueryAssignmentsResponse, (state, req) => {
    validateAddress(req.watcher, "watcher");
    const s = k.getSnapshot(state, req.epoch);
    if (!s) throw watcherErrors.outsideWindow.wrap(notStarted(state, req.epoch));
    const size = k.getParams(state).committeeSize;
    const mine = peernodeKeeper.allNodes(state)
      .filter((n) => n.status === NodeStatus.NODE_STATUS_ACTIVE && committeeFor(s, n.id, n.region, size).includes(req.watcher))
      .map((n) => [n.id.toString().padStart(20, "0"), n.id] as const);
    const { items, pagination } = paginate(mine, req.pagination);
    return { nodeIds: items, pagination };
  }),
  queryRoute(Q + "Reports", QueryReportsRequest, QueryReportsResponse, (state, req) => ({ reports: k.reportsFor(state, req.epoch, req.nodeId) })),
];
