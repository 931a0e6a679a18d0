import { DEFAULT_WEIGHTS, SOURCE_BIT, type HolderSource, type NodeInput, type NodeRecord, type Ranked, type TableOptions, type Weights } from "./node-record.ts";

/** Size of each region's cached candidate list; at least the largest n an answer may ask for. */
const REGION_CANDIDATES = 64;

const clamp01 = (x: number) => (x > 1 ? 1 : x > 0 ? x : 0);

/**
 * What routing knows of every node and of which node holds which content. `best` touches
 * only the holders of the content and, when they are too few, a cached per-region
 * candidate list, so a decision costs the same with 100 or 100,000 nodes known.
 */
export class NodeTable {
  readonly nodes = new Map<string, NodeRecord>();
  /** Content root → ids of the nodes holding it (from either source). */
  readonly holders = new Map<string, Set<string>>();
  /** Node id → content roots it holds. */
  readonly contentsOf = new Map<string, Set<string>>();
  private readonly via = new Map<string, number>();
  private readonly byRegion = new Map<string, Set<NodeRecord>>();
  /** Per client region: its best live nodes, `mixed` when other regions' nodes had to be added, `complete` when that is every live node. */
  private readonly regionCache = new Map<string, { at: number; list: NodeRecord[]; complete: boolean; mixed: boolean }>();
  private downCount = 0;
  readonly weights: Weights;
  private readonly o: Required<Omit<TableOptions, "weights">>;

  constructor(opts: TableOptions = {}) {
    this.weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
    this.o = {
      sameRegionLatencyMs: opts.sameRegionLatencyMs ?? 20,
      otherRegionLatencyMs: opts.otherRegionLatencyMs ?? 150,
      latencyRefMs: opts.latencyRefMs ?? 50,
      latencyAlpha: opts.latencyAlpha ?? 0.2,
      backoffMs: opts.backoffMs ?? 5_000,
      maxBackoffMs: opts.maxBackoffMs ?? 300_000,
      regionCacheMs: opts.regionCacheMs ?? 1_000,
      latencyRegions: opts.latencyRegions ?? 32,
      latencyTtlMs: opts.latencyTtlMs ?? 3_600_000,
    };
  }

  get size(): number {
    return this.nodes.size;
  }

  get liveCount(): number {
    return this.nodes.size - this.downCount;
  }

  /** Adds a node or updates what the chain says of it; measured state (load, latency, failures) is kept. */
  upsertNode(info: NodeInput): NodeRecord {
    let n = this.nodes.get(info.nodeId);
    if (!n) {
      n = { nodeId: info.nodeId, peerId: info.peerId, region: info.region, httpUrl: info.httpUrl, multiaddrs: info.multiaddrs ?? [], chainScore: clamp01(info.chainScore ?? 1), load: clamp01(info.load ?? 0), latencyMs: new Map(), latencyAt: new Map(), lastSeen: 0, failures: 0, down: false, retryAt: 0, lastReportSeq: -Infinity };
      this.nodes.set(n.nodeId, n);
      this.regionSet(n.region).add(n);
      this.invalidate(n.region);
      return n;
    }
    if (n.region !== info.region) {
      this.byRegion.get(n.region)?.delete(n);
      this.invalidate(n.region);
      n.region = info.region;
      this.regionSet(n.region).add(n);
      this.invalidate(n.region);
    }
    n.peerId = info.peerId;
    if (info.httpUrl !== undefined) n.httpUrl = info.httpUrl;
    if (info.multiaddrs) n.multiaddrs = info.multiaddrs;
    if (info.chainScore !== undefined) n.chainScore = clamp01(info.chainScore);
    if (info.load !== undefined) n.load = clamp01(info.load);
    return n;
  }

  removeNode(nodeId: string): boolean {
    const n = this.nodes.get(nodeId);
    if (!n) return false;
    for (const c of this.contentsOf.get(nodeId) ?? []) {
      this.via.delete(c + "/" + nodeId);
      const hs = this.holders.get(c);
      hs?.delete(nodeId);
      if (hs?.size === 0) this.holders.delete(c);
    }
    this.contentsOf.delete(nodeId);
    this.byRegion.get(n.region)?.delete(n);
    if (n.down) this.downCount--;
    this.nodes.delete(nodeId);
    n.down = true; // so cached candidate lists skip it until they are rebuilt
    this.invalidate(n.region);
    return true;
  }

  addHolder(content: string, nodeId: string, source: HolderSource): void {
    const key = content + "/" + nodeId;
    this.via.set(key, (this.via.get(key) ?? 0) | SOURCE_BIT[source]);
    let hs = this.holders.get(content);
    if (!hs) this.holders.set(content, (hs = new Set()));
    hs.add(nodeId);
    let cs = this.contentsOf.get(nodeId);
    if (!cs) this.contentsOf.set(nodeId, (cs = new Set()));
    cs.add(content);
  }

  /** Withdraws one source's claim (or every claim when no source is given); the node stays a holder while another source still claims it. */
  removeHolder(content: string, nodeId: string, source?: HolderSource): void {
    const key = content + "/" + nodeId;
    const left = source ? (this.via.get(key) ?? 0) & ~SOURCE_BIT[source] : 0;
    if (left) return void this.via.set(key, left);
    this.via.delete(key);
    const hs = this.holders.get(content);
    hs?.delete(nodeId);
    if (hs?.size === 0) this.holders.delete(content);
    const cs = this.contentsOf.get(nodeId);
    cs?.delete(content);
    if (cs?.size === 0) this.contentsOf.delete(nodeId);
  }

  holds(content: string, nodeId: string): boolean {
    return this.holders.get(content)?.has(nodeId) ?? false;
  }

  sourcesOf(content: string, nodeId: string): HolderSource[] {
    const bits = this.via.get(content + "/" + nodeId) ?? 0;
    return (Object.keys(SOURCE_BIT) as HolderSource[]).filter((s) => bits & SOURCE_BIT[s]);
  }

  /** A load report is also a sign of life: once the back-off has passed it brings a failed node back. */
  reportLoad(nodeId: string, load: number, now: number): boolean {
    const n = this.nodes.get(nodeId);
    if (!n) return false;
    n.load = clamp01(load);
    n.lastSeen = now;
    if (n.down && now >= n.retryAt) this.setDown(n, false);
    return true;
  }

  /** Folds a latency sample into the node's EWMA for the client region; keeps at most latencyRegions regions per node, dropping stale ones. */
  recordLatency(nodeId: string, region: string, ms: number, now = 0): boolean {
    const n = this.nodes.get(nodeId);
    if (!n || !Number.isFinite(ms) || ms < 0) return false;
    this.sweepNodeLatency(n, now);
    const prev = n.latencyMs.get(region);
    n.latencyMs.delete(region); // re-inserted: the most recently reported
    n.latencyMs.set(region, prev === undefined ? ms : prev + this.o.latencyAlpha * (ms - prev));
    n.latencyAt.set(region, now);
    while (n.latencyMs.size > this.o.latencyRegions) {
      const oldest = n.latencyMs.keys().next().value as string;
      n.latencyMs.delete(oldest);
      n.latencyAt.delete(oldest);
    }
    return true;
  }

  /** Drops every node's latencies not reported for latencyTtlMs. */
  sweepLatency(now: number): void {
    for (const n of this.nodes.values()) this.sweepNodeLatency(n, now);
  }

  private sweepNodeLatency(n: NodeRecord, now: number): void {
    for (const [region, at] of n.latencyAt) {
      if (now - at < this.o.latencyTtlMs) continue;
      n.latencyAt.delete(region);
      n.latencyMs.delete(region);
    }
  }

  /**
   * Excludes the node from answers until markAlive, or a load report after the back-off
   * (doubling with each failure since the node was last confirmed alive). Further reports
   * while it is already down do not lengthen the back-off, so one incident seen by many
   * clients counts once.
   */
  markFailed(nodeId: string, now: number): boolean {
    const n = this.nodes.get(nodeId);
    if (!n) return false;
    if (n.down) return true;
    n.failures++;
    n.retryAt = now + Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** Math.min(n.failures - 1, 30));
    this.setDown(n, true);
    return true;
  }

  markAlive(nodeId: string, now: number): boolean {
    const n = this.nodes.get(nodeId);
    if (!n) return false;
    n.failures = 0;
    n.lastSeen = now;
    if (n.down) this.setDown(n, false);
    return true;
  }

  /** Scores one node for a client in `region`: higher is better, at most 1. */
  rank(n: NodeRecord, region: string, holds: boolean): Ranked {
    const w = this.weights;
    const measured = n.latencyMs.get(region);
    const same = n.region === region;
    const latencyMs = measured ?? (same ? this.o.sameRegionLatencyMs : this.o.otherRegionLatencyMs);
    const latency = (w.latency * this.o.latencyRefMs) / (this.o.latencyRefMs + latencyMs);
    const load = w.load * (1 - n.load);
    const chain = w.chain * n.chainScore;
    const sameRegion = same ? w.sameRegion : 0;
    return { node: n, holds, score: latency + load + chain + sameRegion, breakdown: { latencyMs, latencyMeasured: measured !== undefined, latency, load, chain, sameRegion } };
  }

  /**
   * Up to n live nodes for `content` and a client in `region`, best first: holders first
   * (ranked by score), then, if too few live holders, the best live nodes in or near the
   * region flagged holds=false, which can serve by fetch-through.
   */
  best(content: string, region: string, n: number, now: number): Ranked[] {
    const out: Ranked[] = [];
    if (n <= 0) return out;
    const hs = this.holders.get(content);
    if (hs) {
      for (const id of hs) {
        const node = this.nodes.get(id);
        if (node && !node.down) insertTop(out, this.rank(node, region, true), n);
      }
    }
    if (out.length >= n) return out;
    const holderCount = out.length;
    const fill: Ranked[] = [];
    for (const node of this.candidates(region, now, Math.min(REGION_CANDIDATES, n - holderCount + (hs?.size ?? 0)))) {
      if (node.down || hs?.has(node.nodeId)) continue;
      insertTop(fill, this.rank(node, region, false), n - holderCount);
    }
    for (const r of fill) out.push(r);
    return out;
  }

  /**
   * The best live nodes for clients in `region`, in the region first and then the nearest
   * others, cached for regionCacheMs (answers re-score them fresh and skip any that failed
   * since). Recomputed early when failures leave fewer than `want` live entries.
   */
  candidates(region: string, now: number, want = REGION_CANDIDATES): NodeRecord[] {
    const c = this.regionCache.get(region);
    if (c && now - c.at < this.o.regionCacheMs && now >= c.at) {
      if (c.complete) return c.list;
      let live = 0;
      for (const n of c.list) if (!n.down && ++live >= want) return c.list;
    }
    const scored: Ranked[] = [];
    for (const n of this.byRegion.get(region) ?? []) if (!n.down) scored.push(this.rank(n, region, false));
    const mixed = scored.length < REGION_CANDIDATES;
    if (mixed) {
      for (const [r, set] of this.byRegion) if (r !== region) for (const n of set) if (!n.down) scored.push(this.rank(n, region, false));
    }
    scored.sort((a, b) => b.score - a.score);
    const list = scored.slice(0, REGION_CANDIDATES).map((r) => r.node);
    this.regionCache.set(region, { at: now, list, complete: list.length < REGION_CANDIDATES, mixed });
    return list;
  }

  /** Live nodes of exactly this region, best first for its clients (from the candidate cache when it covers them). */
  regionNodes(region: string, now: number): NodeRecord[] {
    return this.candidates(region, now).filter((n) => n.region === region && !n.down);
  }

  private setDown(n: NodeRecord, down: boolean): void {
    if (n.down === down) return;
    n.down = down;
    this.downCount += down ? 1 : -1;
    // A node coming back must be visible in the fallback lists at once; failures are filtered at read time.
    if (!down) this.invalidate(n.region);
  }

  /** Drops the cached lists a change to a node of `region` can affect: that region's and those that took in other regions' nodes. */
  private invalidate(region: string): void {
    for (const [r, c] of this.regionCache) if (r === region || c.mixed) this.regionCache.delete(r);
  }

  private regionSet(region: string): Set<NodeRecord> {
    let s = this.byRegion.get(region);
    if (!s) this.byRegion.set(region, (s = new Set()));
    return s;
  }
}

/** Keeps `out` sorted by descending score and at most `n` long. */
function insertTop(out: Ranked[], r: Ranked, n: number): void {
  if (out.length >= n && r.score <= out[out.length - 1].score) return;
  let i = out.length;
  while (i > 0 && out[i - 1].score < r.score) i--;
  out.splice(i, 0, r);
  if (out.length > n) out.pop();
}
