import { BoundedLru, WindowLimiter } from "./bounded-state.ts";

export interface DemandLimitOptions {
  /** A client's requests for one (content, region) count once per this interval (default 30 s). */
  intervalMs?: number;
  /** ... and at most this many of a client's requests count per minute, whatever they ask (default 60). */
  perClientPerMinute?: number;
  /** Bound on the (client, content, region) keys remembered (default 100,000, least recently used evicted). */
  maxKeys?: number;
  /** Bound on the clients whose per-minute budget is remembered (default 20,000, least recently used evicted). */
  maxClients?: number;
}

/**
 * Which `GET /route` requests count towards demand. One client counts at most once per
 * (content, region) per intervalMs: with the default 10 s short half-life a single client
 * alone reaches a short rate of at most ln2/10 s ÷ (1 − 2^-3) ≈ 0.08 req/s, far under the
 * 0.5 req/s a content needs to be "rising", so about seven distinct clients within ten
 * seconds are needed before routing places it anywhere.
 */
export class DemandLimiter {
  private readonly last: BoundedLru<string, number>;
  private readonly budget: WindowLimiter;
  readonly intervalMs: number;
  constructor(o: DemandLimitOptions = {}) {
    this.intervalMs = o.intervalMs ?? 30_000;
    this.last = new BoundedLru(o.maxKeys ?? 100_000);
    this.budget = new WindowLimiter(o.perClientPerMinute ?? 60, 60_000, o.maxClients ?? 20_000);
  }
  get keys(): number {
    return this.last.size;
  }
  get clients(): number {
    return this.budget.size;
  }
  /** Whether this request counts; counting it is recorded. */
  allow(client: string, content: string, region: string, now: number): boolean {
    const key = `${client}|${content}|${region}`;
    const at = this.last.peek(key);
    if (at !== undefined && now - at < this.intervalMs && now >= at) return false;
    if (!this.budget.take(client, now)) return false;
    this.last.set(key, now);
    return true;
  }
}
