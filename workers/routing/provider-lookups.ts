import { WindowLimiter } from "./bounded-state.ts";

export interface LookupLimitOptions {
  /** DHT lookups one client's /route requests may start per minute (default 10). */
  perClientPerMinute?: number;
  /** Lookups running at once, whoever asked (default 32; above one client's budget, so no single client can fill it). */
  maxInFlight?: number;
  /** Bound on the clients whose budget is remembered (default 20,000, least recently used evicted). */
  maxClients?: number;
}

export interface LookupStats {
  /** lookups started */
  started: number;
  /** asked for while the same content was already being looked up (no new lookup, no budget spent) */
  joined: number;
  /** refused: the client's budget for this minute was spent */
  rateLimited: number;
  /** refused: maxInFlight lookups were already running */
  busy: number;
}

/**
 * Which `GET /route` requests for a content with no known live holder may start a DHT
 * provider lookup (each costs routing a walk of the DHT, up to its timeout). A content
 * already being looked up is not looked up again; otherwise the asking client spends one
 * of its perClientPerMinute lookups, and none starts while maxInFlight are running. A
 * flood of distinct unknown contents from one address therefore starts at most
 * perClientPerMinute lookups a minute and never more than that many at once, leaving the
 * rest of maxInFlight to everyone else; the answers themselves never depend on it.
 */
export class ProviderLookups {
  private readonly budget: WindowLimiter;
  private readonly running = new Map<string, Promise<void>>();
  readonly maxInFlight: number;
  readonly stats: LookupStats = { started: 0, joined: 0, rateLimited: 0, busy: 0 };

  constructor(private readonly lookup: (content: string) => Promise<void>, o: LookupLimitOptions = {}) {
    this.budget = new WindowLimiter(o.perClientPerMinute ?? 10, 60_000, o.maxClients ?? 20_000);
    this.maxInFlight = o.maxInFlight ?? 32;
    if (!(this.maxInFlight >= 1)) throw new Error("ProviderLookups needs maxInFlight >= 1");
  }

  get inFlight(): number {
    return this.running.size;
  }

  get clients(): number {
    return this.budget.size;
  }

  /** Starts (or joins) a lookup of `content` for `client` if its budget and the global bound allow; what happened. */
  request(client: string, content: string, now: number): "started" | "joined" | "rate-limited" | "busy" {
    if (this.running.has(content)) {
      this.stats.joined++;
      return "joined";
    }
    if (this.running.size >= this.maxInFlight) {
      this.stats.busy++;
      return "busy";
    }
    if (!this.budget.take(client, now)) {
      this.stats.rateLimited++;
      return "rate-limited";
    }
    this.stats.started++;
    let p: Promise<void>;
    try {
      p = Promise.resolve(this.lookup(content));
    } catch (err) {
      p = Promise.reject(err);
    }
    const done = p.catch(() => undefined).finally(() => this.running.delete(content));
    this.running.set(content, done);
    return "started";
  }
}
