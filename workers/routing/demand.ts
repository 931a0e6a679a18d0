import type { NodeTable } from "./node-table.ts";
import { Placement } from "./placement.ts";

export interface DemandOptions {
  shortHalfLifeMs?: number;
  longHalfLifeMs?: number;
  /** Rising means short ≥ riseRatio × long ... */
  riseRatio?: number;
  /** ... and short ≥ minRate (requests per second). */
  minRate?: number;
  /** Live nodes of a region that should hold a rising content; more as its rate grows (one per ratePerReplica req/s), up to maxReplicas. */
  targetReplicas?: number;
  ratePerReplica?: number;
  maxReplicas?: number;
  /** Prefetched contents per node. */
  capacity?: number;
  /** A placement that no holder record confirms within this time is withdrawn. */
  pendingTtlMs?: number;
  /** Entries whose long rate fell below this (req/s) are forgotten, to bound memory. */
  forgetBelow?: number;
  /**
   * At most this many (content, region) pairs are tracked (default 100,000): recording a
   * new one past the bound drops the least recently requested pair (one still placed on a
   * node is kept if an unplaced one can go instead).
   */
  maxTracked?: number;
  /** A pair nobody asked for this long (default 10 minutes) is dropped at the next sweep (every minute), unless placed. */
  idleMs?: number;
}

export interface Rates {
  /** Requests per second, time-decayed to the time asked. */
  short: number;
  long: number;
}

export interface PrefetchInstruction {
  content: string;
  region: string;
  /** Nodes of the region that should fetch the content now. */
  nodeIds: string[];
  /** Placed contents those nodes may drop to make room. */
  evictions: Array<{ nodeId: string; content: string }>;
  rates: Rates;
}

interface Entry {
  content: string;
  region: string;
  short: number;
  long: number;
  at: number;
  /** When it was last requested. */
  last: number;
}

/**
 * Request rates per (content, region) as two time-decayed EWMAs: each request adds
 * ln2/halfLife and the value decays by half every halfLife, so a steady rate r reads ≈ r.
 * A content whose short rate runs far above its long one is ramping up; prefetchPlan
 * places it on more nodes of that region before its demand peaks.
 */
export class Demand {
  readonly placement: Placement;
  /** "content/region" → entry, least recently requested first (the LRU order). */
  private readonly entries = new Map<string, Entry>();
  private readonly rising = new Set<Entry>();
  private readonly o: Required<DemandOptions>;
  private readonly kShort: number;
  private readonly kLong: number;
  private lastForget = -Infinity;

  constructor(
    private readonly table: NodeTable,
    opts: DemandOptions = {},
  ) {
    this.o = {
      shortHalfLifeMs: opts.shortHalfLifeMs ?? 10_000,
      longHalfLifeMs: opts.longHalfLifeMs ?? 300_000,
      riseRatio: opts.riseRatio ?? 3,
      minRate: opts.minRate ?? 0.5,
      targetReplicas: opts.targetReplicas ?? 2,
      ratePerReplica: opts.ratePerReplica ?? 20,
      maxReplicas: opts.maxReplicas ?? 8,
      capacity: opts.capacity ?? 1_000,
      pendingTtlMs: opts.pendingTtlMs ?? 120_000,
      forgetBelow: opts.forgetBelow ?? 1e-4,
      maxTracked: opts.maxTracked ?? 100_000,
      idleMs: opts.idleMs ?? 600_000,
    };
    if (!(this.o.maxTracked >= 1)) throw new Error("need maxTracked >= 1");
    if (!(this.o.shortHalfLifeMs > 0 && this.o.longHalfLifeMs > this.o.shortHalfLifeMs)) throw new Error("need 0 < shortHalfLifeMs < longHalfLifeMs");
    this.kShort = Math.LN2 / this.o.shortHalfLifeMs;
    this.kLong = Math.LN2 / this.o.longHalfLifeMs;
    this.placement = new Placement(this.o.capacity, (content, nodeId, now) => {
      const region = this.table.nodes.get(nodeId)?.region;
      if (region === undefined) return 0;
      const r = this.rates(content, region, now);
      // A content still ramping up is valued at its short rate, so the next rising one cannot push it out before its long rate catches up.
      return r.short > r.long * this.o.riseRatio ? r.short : r.long;
    });
  }

  /** (content, region) pairs tracked. */
  get tracked(): number {
    return this.entries.size;
  }

  record(content: string, region: string, now: number, requests = 1): void {
    if (now - this.lastForget >= 60_000) this.forget(now);
    const key = content + "/" + region;
    let e = this.entries.get(key);
    if (e) this.entries.delete(key); // re-inserted below: the most recently requested
    else {
      e = { content, region, short: 0, long: 0, at: now, last: now };
      if (this.entries.size >= this.o.maxTracked) this.evictOne();
    }
    this.entries.set(key, e);
    e.last = Math.max(e.last, now);
    this.decay(e, now);
    e.short += requests * this.kShort * 1000;
    e.long += requests * this.kLong * 1000;
    if (this.isRising(e)) this.rising.add(e);
  }

  rates(content: string, region: string, now: number): Rates {
    const e = this.entries.get(content + "/" + region);
    if (!e) return { short: 0, long: 0 };
    const dt = Math.max(0, now - e.at);
    return { short: e.short * Math.exp(-dt * this.kShort), long: e.long * Math.exp(-dt * this.kLong) };
  }

  /**
   * Rising contents not yet held (or placed) on enough live nodes of their region → the
   * best live nodes there that do not hold them yet, hottest contents first. Decisions are
   * committed to `placement`, so asking again does not repeat them.
   */
  prefetchPlan(now: number): PrefetchInstruction[] {
    this.placement.expire(now, this.o.pendingTtlMs, (c, id) => this.table.holds(c, id));
    if (now - this.lastForget >= 60_000) this.forget(now);
    const hot: Array<{ e: Entry; rates: Rates }> = [];
    for (const e of this.rising) {
      this.decay(e, now);
      if (this.isRising(e)) hot.push({ e, rates: { short: e.short, long: e.long } });
      else this.rising.delete(e);
    }
    hot.sort((a, b) => b.rates.short - a.rates.short);
    const plan: PrefetchInstruction[] = [];
    for (const { e, rates } of hot) {
      const want = Math.min(this.o.maxReplicas, Math.max(this.o.targetReplicas, Math.ceil(rates.short / this.o.ratePerReplica)));
      const have = new Set<string>();
      for (const ids of [this.table.holders.get(e.content), this.placement.nodesWith(e.content)]) {
        for (const id of ids ?? []) {
          const n = this.table.nodes.get(id);
          if (n && !n.down && n.region === e.region) have.add(id);
        }
      }
      if (have.size >= want) continue;
      const nodeIds: string[] = [];
      const evictions: PrefetchInstruction["evictions"] = [];
      for (const n of this.table.regionNodes(e.region, now)) {
        if (have.size + nodeIds.length >= want) break;
        if (have.has(n.nodeId)) continue;
        const r = this.placement.place(n.nodeId, e.content, rates.short, now);
        if (!r.ok) continue;
        nodeIds.push(n.nodeId);
        if (r.evicted !== undefined) evictions.push({ nodeId: n.nodeId, content: r.evicted });
      }
      if (nodeIds.length) plan.push({ content: e.content, region: e.region, nodeIds, evictions, rates });
    }
    return plan;
  }

  private isRising(e: Entry): boolean {
    return e.short >= this.o.minRate && e.short >= this.o.riseRatio * e.long;
  }

  private decay(e: Entry, now: number): void {
    if (now <= e.at) return;
    const dt = now - e.at;
    e.short *= Math.exp(-dt * this.kShort);
    e.long *= Math.exp(-dt * this.kLong);
    e.at = now;
  }

  /** Drops the least recently requested pair, preferring one not placed on any node (looks at the 8 oldest). */
  private evictOne(): void {
    let victim: string | undefined;
    let seen = 0;
    for (const [key, e] of this.entries) {
      victim ??= key;
      if (!this.placement.nodesWith(e.content)) {
        victim = key;
        break;
      }
      if (++seen >= 8) break;
    }
    if (victim === undefined) return;
    this.rising.delete(this.entries.get(victim)!);
    this.entries.delete(victim);
  }

  /** Drops pairs nobody asks for any more: idle for idleMs or with a long rate under forgetBelow (unless still placed somewhere). */
  private forget(now: number): void {
    this.lastForget = now;
    for (const [key, e] of this.entries) {
      if (this.placement.nodesWith(e.content)) continue;
      if (now - e.last < this.o.idleMs && this.rates(e.content, e.region, now).long >= this.o.forgetBelow) continue;
      this.entries.delete(key);
      this.rising.delete(e);
    }
  }
}
