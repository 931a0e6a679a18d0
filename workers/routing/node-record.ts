/** What the node table holds per node and how it ranks them: records, inputs, weights, options, scores. */

/** Where routing learned that a node holds a content: a chain replica assignment or a DHT provider record. */
export type HolderSource = "chain" | "dht";
export const SOURCE_BIT: Record<HolderSource, number> = { chain: 1, dht: 2 };

export interface NodeRecord {
  /** Chain node id as a decimal string. */
  nodeId: string;
  peerId: string;
  region: string;
  httpUrl?: string;
  multiaddrs: string[];
  /** 0..1, from on-chain settlement / uptime. */
  chainScore: number;
  /** 0..1, as last reported by the node. */
  load: number;
  /** Client region → EWMA of measured latency (ms), least recently reported first; at most latencyRegions entries. */
  latencyMs: Map<string, number>;
  /** Client region → when its latency was last reported (dropped after latencyTtlMs). */
  latencyAt: Map<string, number>;
  lastSeen: number;
  failures: number;
  down: boolean;
  /** While down, load reports before this time do not bring the node back. */
  retryAt: number;
  /** Counter of the last signed load report accepted from the node (a report must carry a higher one). */
  lastReportSeq: number;
}

export interface NodeInput {
  nodeId: string;
  peerId: string;
  region: string;
  httpUrl?: string;
  multiaddrs?: string[];
  chainScore?: number;
  load?: number;
}

export interface Weights {
  latency: number;
  load: number;
  chain: number;
  sameRegion: number;
}

export interface TableOptions {
  weights?: Partial<Weights>;
  /** Assumed latency when none was measured for the client's region. */
  sameRegionLatencyMs?: number;
  otherRegionLatencyMs?: number;
  /** Latency at which the latency term is worth half its weight. */
  latencyRefMs?: number;
  /** Weight of a new latency sample in the EWMA. */
  latencyAlpha?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per node, at most this many client regions' latencies are kept (default 32; the least recently reported is dropped). */
  latencyRegions?: number;
  /** A region's latency not reported for this long (default 1 hour) is dropped. */
  latencyTtlMs?: number;
  /** How long a region's ranked candidate list (used when no live node holds a content) is reused. */
  regionCacheMs?: number;
}

export interface ScoreBreakdown {
  /** Latency used for the client's region and whether it was measured or a default. */
  latencyMs: number;
  latencyMeasured: boolean;
  /** Weighted contributions; their sum is the score. */
  latency: number;
  load: number;
  chain: number;
  sameRegion: number;
}

export interface Ranked {
  node: NodeRecord;
  holds: boolean;
  score: number;
  breakdown: ScoreBreakdown;
}

export const DEFAULT_WEIGHTS: Weights = { latency: 0.4, load: 0.25, chain: 0.2, sameRegion: 0.15 };
