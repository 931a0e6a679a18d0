export { Demand, type DemandOptions, type PrefetchInstruction, type Rates } from "./demand.ts";
export { FailureChecks, nodeProbe, type FailureOutcome, type NodeProbe, type ProbeVerdict } from "./failure-checks.ts";
export { startRoutingHttp, type RoutingHttpOptions } from "./http-api.ts";
export { NodeTable } from "./node-table.ts";
export { DEFAULT_WEIGHTS, type HolderSource, type NodeInput, type NodeRecord, type Ranked, type ScoreBreakdown, type TableOptions, type Weights } from "./node-record.ts";
export { Placement } from "./placement.ts";
export { Router, type NodePrefetch, type RouteAnswer, type RoutedNode, type RouterOptions } from "./router.ts";
