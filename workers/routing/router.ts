import { DemandLimiter, type DemandLimitOptions } from "./demand-limiter.ts";
import { ProviderLookups, type LookupLimitOptions } from "./provider-lookups.ts";
import { Demand, type DemandOptions, type PrefetchInstruction } from "./demand.ts";
import { FailureChecks, nodeProbe, type FailureCheckOptions, type FailureOutcome, type NodeProbe } from "./failure-checks.ts";
import type { ScoreBreakdown, TableOptions } from "./node-record.ts";
import { NodeTable } from "./node-table.ts";

export interface RouterOptions {
  table?: TableOptions;
  demand?: DemandOptions;
  /** Per-client limits on which /route requests count towards demand (see DemandLimiter). */
  demandLimit?: DemandLimitOptions;
  /** prefetchFor re-plans at most this often. */
  planIntervalMs?: number;
  /** How a reported node is checked before it is left out (default: over its HTTP endpoint, 3 s timeout). */
  probe?: NodeProbe;
  failureChecks?: FailureCheckOptions;
  /**
   * Looks a content up elsewhere (the DHT) when routing knows no live holder of it; a
   * /route request starts one only within `lookupLimit` (see ProviderLookups).
   */
  providerLookup?: (content: string) => Promise<void>;
  lookupLimit?: LookupLimitOptions;
}

export interface RoutedNode {
  nodeId: string;
  peerId: string;
  region: string;
  httpUrl?: string;
  multiaddrs: string[];
  holds: boolean;
  score: number;
  breakdown: ScoreBreakdown;
}

export interface RouteAnswer {
  content: string;
  region: string;
  /** False when no live node is known to hold the content: every node listed would fetch it through. */
  holds: boolean;
  nodes: RoutedNode[];
}

export interface NodePrefetch {
  nodeId: string;
  /** Contents placed on this node that it is not yet known to hold. */
  prefetch: string[];
  /** Placed contents it may drop (each notice is given once). */
  evict: string[];
}

/** PeerRouting: the node table and demand tracking behind one object, used by the HTTP API and the agent. */
export class Router {
  readonly table: NodeTable;
  readonly demand: Demand;
  readonly failures: FailureChecks;
  readonly demandLimit: DemandLimiter;
  /** Provider lookups /route requests start (absent without a providerLookup). */
  readonly lookups?: ProviderLookups;
  private readonly planIntervalMs: number;
  private lastPlan = -Infinity;
  private lastLatencySweep = -Infinity;

  constructor(opts: RouterOptions = {}) {
    this.table = new NodeTable(opts.table);
    this.demand = new Demand(this.table, opts.demand);
    this.demandLimit = new DemandLimiter(opts.demandLimit);
    this.planIntervalMs = opts.planIntervalMs ?? 1_000;
    if (opts.providerLookup) this.lookups = new ProviderLookups(opts.providerLookup, opts.lookupLimit);
    this.failures = new FailureChecks(this.table, opts.probe ?? nodeProbe({ timeoutMs: 3_000 }), opts.failureChecks);
  }

  /**
   * Records one request for the content from the region and answers the best n nodes for
   * it. With a `client` (the remote address over HTTP) the request counts towards demand
   * only within that client's limits (DemandLimiter); without one it always counts. When
   * no live node holds the content, a provider lookup is asked for within the client's
   * lookup budget (ProviderLookups): the answer does not wait for it, nor depend on it.
   */
  route(content: string, region: string, n: number, now: number, client?: string): RouteAnswer {
    if (client === undefined || this.demandLimit.allow(client, content, region, now)) this.demand.record(content, region, now);
    const ranked = this.table.best(content, region, n, now);
    const nodes = ranked.map((r) => {
      if (r.holds) this.demand.placement.touch(r.node.nodeId, content, now);
      const { nodeId, peerId, region: nodeRegion, httpUrl, multiaddrs } = r.node;
      return { nodeId, peerId, region: nodeRegion, httpUrl, multiaddrs, holds: r.holds, score: r.score, breakdown: r.breakdown };
    });
    const holds = nodes.length > 0 && nodes[0].holds;
    if (!holds) this.lookups?.request(client ?? "local", content, now);
    return { content, region, holds, nodes };
  }

  reportLoad(nodeId: string, load: number, now: number): boolean {
    return this.table.reportLoad(nodeId, load, now);
  }

  /** A client could not get `content` from the node: probed, and left out of answers if the probe fails too. */
  reportFailed(nodeId: string, content: string | undefined, now: () => number): Promise<FailureOutcome> {
    return this.failures.report(nodeId, content, now);
  }

  reportLatency(nodeId: string, region: string, ms: number, now = 0): boolean {
    return this.table.recordLatency(nodeId, region, ms, now);
  }

  removeNode(nodeId: string): boolean {
    this.demand.placement.dropNode(nodeId);
    this.failures.forget(nodeId);
    return this.table.removeNode(nodeId);
  }

  prefetchPlan(now: number): PrefetchInstruction[] {
    this.lastPlan = now;
    if (now - this.lastLatencySweep >= 60_000) {
      this.lastLatencySweep = now;
      this.table.sweepLatency(now);
    }
    return this.demand.prefetchPlan(now);
  }

  /** What the node should prefetch now (re-planning first if the last plan is older than planIntervalMs). */
  prefetchFor(nodeId: string, now: number): NodePrefetch {
    if (now - this.lastPlan >= this.planIntervalMs) this.prefetchPlan(now);
    const prefetch: string[] = [];
    for (const content of this.demand.placement.byNode.get(nodeId)?.keys() ?? []) {
      if (!this.table.holds(content, nodeId)) prefetch.push(content);
    }
    return { nodeId, prefetch, evict: this.demand.placement.takeEvictions(nodeId) };
  }

  health(): { ok: true; nodes: number; liveNodes: number; contents: number; trackedDemand: number } {
    return { ok: true, nodes: this.table.size, liveNodes: this.table.liveCount, contents: this.table.holders.size, trackedDemand: this.demand.tracked };
  }
}
