import { isIPv6 } from "node:net";
import { peerIdFromString } from "@libp2p/peer-id";
import { addressFromBytes } from "../../chain/address.ts";
import { addressBytesOf, verifySecp256k1 } from "../../chain/crypto/secp256k1.ts";
import { latencyReportMessage } from "../../client/latency-report.ts";

/**
 * What PeerRouting believes and from whom:
 * - a load report (`POST /report`) only when signed by the libp2p key of the peer id the
 *   node registered on chain (the same key and check as the signed-nonce challenge in
 *   workers/dts/challenge.ts), over a counter (the node's clock in ms) that must be fresh
 *   and above the last one accepted from that node, so a report cannot be replayed;
 * - a latency report (`POST /latency`) only when signed by a client's account key
 *   (secp256k1, the key it signs delivery receipts with) whose address holds an escrow on
 *   chain, and at most LATENCY_PER_MINUTE of them per (client, node) per minute;
 * - a `GET /route` request counts towards demand at most once per (client address,
 *   content, region) per DEMAND_INTERVAL_MS, and at most DEMAND_PER_CLIENT_PER_MINUTE
 *   times per client address per minute (see DemandLimiter);
 * - a `GET /route` for a content routing knows no live holder of starts a DHT provider
 *   lookup at most LOOKUPS_PER_CLIENT_PER_MINUTE times per client address per minute, and
 *   at most MAX_LOOKUPS_IN_FLIGHT lookups run at once whoever asked (see ProviderLookups).
 */

const enc = new TextEncoder();
/** Load and latency counters may run this far from routing's clock (either way). */
export const MAX_SKEW_MS = 5 * 60_000;

// ---------- bounded state ----------

/**
 * A Map with at most `max` entries: reading or writing an entry makes it the most recent,
 * and inserting past the bound evicts the least recently used one.
 */
export class BoundedLru<K, V> {
  private readonly m = new Map<K, V>();
  constructor(readonly max: number) {
    if (!(max >= 1)) throw new Error("BoundedLru needs max >= 1");
  }
  get size(): number {
    return this.m.size;
  }
  get(k: K): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  /** Without touching recency. */
  peek(k: K): V | undefined {
    return this.m.get(k);
  }
  set(k: K, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    while (this.m.size > this.max) this.m.delete(this.m.keys().next().value as K);
  }
  delete(k: K): boolean {
    return this.m.delete(k);
  }
  keys(): IterableIterator<K> {
    return this.m.keys();
  }
}

/** Fixed one-minute windows per key: `allow` says whether one more event fits in the key's budget. */
export class WindowLimiter {
  private readonly w: BoundedLru<string, { start: number; n: number }>;
  constructor(readonly perWindow: number, readonly windowMs: number, maxKeys: number) {
    this.w = new BoundedLru(maxKeys);
  }
  get size(): number {
    return this.w.size;
  }
  /** Whether one more event fits (without spending it). */
  fits(key: string, now: number): boolean {
    const s = this.w.peek(key);
    return !s || now - s.start >= this.windowMs || now < s.start || s.n < this.perWindow;
  }
  /** Spends one event of the key's budget; false (nothing spent) when it is used up. */
  take(key: string, now: number): boolean {
    let s = this.w.get(key);
    if (!s || now - s.start >= this.windowMs || now < s.start) this.w.set(key, (s = { start: now, n: 0 }));
    if (s.n >= this.perWindow) return false;
    s.n++;
    return true;
  }
}

// ---------- load reports: signed by the node's libp2p key ----------

const LOAD_DOMAIN = "aro/routing-load/1\n";

/** The bytes a node signs for a load report: domain ‖ node id ‖ load ‖ counter. */
export function loadReportMessage(nodeId: string, load: number, seq: number): Uint8Array {
  return enc.encode(`${LOAD_DOMAIN}${nodeId}\n${load}\n${seq}`);
}

export interface SignedLoadReport {
  nodeId: string;
  load: number;
  /** The node's clock in ms, strictly increasing per node. */
  seq: number;
  /** base64 signature over loadReportMessage by the node's libp2p key. */
  signature: string;
}

/** The node's side (workers/routing/agent-link.ts). */
export async function signLoadReport(sign: (m: Uint8Array) => Promise<Uint8Array> | Uint8Array, nodeId: string, load: number, seq: number): Promise<SignedLoadReport> {
  const signature = await sign(loadReportMessage(nodeId, load, seq));
  return { nodeId, load, seq, signature: Buffer.from(signature).toString("base64") };
}

/** Routing's side: undefined when the signature is the registered peer's, else why not. */
export async function loadSignatureFailure(peerId: string, nodeId: string, load: number, seq: number, signatureB64: string): Promise<string | undefined> {
  let key;
  try {
    key = peerIdFromString(peerId).publicKey;
  } catch (err) {
    return `registered peer id ${peerId} is not valid: ${(err as Error).message}`;
  }
  if (!key) return `registered peer id ${peerId} does not embed its public key`;
  try {
    return (await key.verify(loadReportMessage(nodeId, load, seq), Buffer.from(signatureB64, "base64"))) ? undefined : "the signature is not the registered peer key's over this report";
  } catch {
    return "the signature is not the registered peer key's over this report";
  }
}

// ---------- latency reports: signed by a client's account key (format: client/latency-report.ts) ----------

/** Routing's side: undefined when `pubkey` is `client`'s key and signed the report, else why not. */
export function latencySignatureFailure(client: string, pubkeyB64: string, nodeId: string, region: string, ms: number, ts: number, signatureB64: string): string | undefined {
  const pubkey = new Uint8Array(Buffer.from(pubkeyB64, "base64"));
  if (pubkey.length !== 33) return "pubkey must be a base64 33-byte compressed secp256k1 key";
  let address: string;
  try {
    address = addressFromBytes(addressBytesOf(pubkey));
  } catch {
    return "pubkey is not a valid key";
  }
  if (address !== client) return `pubkey belongs to ${address}, not to ${client}`;
  if (!verifySecp256k1(latencyReportMessage(client, nodeId, region, ms, ts), new Uint8Array(Buffer.from(signatureB64, "base64")), pubkey)) return "the signature is not the client key's over this report";
  return undefined;
}

/** Whether an account holds an escrow on chain; throws when the chain cannot be asked. */
export type EscrowCheck = (address: string) => Promise<boolean>;

/**
 * Escrow lookups cached for ttlMs (positive and negative alike), at most maxEntries
 * addresses (least recently used evicted), and at most maxInFlight lookups at once: a
 * flood of fresh keys costs the chain no more than that.
 */
export class EscrowCache {
  private readonly c: BoundedLru<string, { at: number; ok: boolean }>;
  private readonly pending = new Map<string, Promise<boolean>>();
  constructor(private readonly check: EscrowCheck, private readonly o: { ttlMs: number; maxEntries: number; maxInFlight: number }) {
    this.c = new BoundedLru(o.maxEntries);
  }
  get size(): number {
    return this.c.size;
  }
  /** true/false, or "busy" when too many lookups are already running. */
  async has(address: string, now: number): Promise<boolean | "busy"> {
    const hit = this.c.get(address);
    if (hit && now - hit.at < this.o.ttlMs && now >= hit.at) return hit.ok;
    let p = this.pending.get(address);
    if (!p) {
      if (this.pending.size >= this.o.maxInFlight) return "busy";
      p = this.check(address).finally(() => this.pending.delete(address));
      this.pending.set(address, p);
    }
    const ok = await p;
    this.c.set(address, { at: now, ok });
    return ok;
  }
}

// ---------- /route demand: per client address ----------

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

// ---------- /route provider lookups: per client address, bounded in flight ----------

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

/** The key a remote address is limited by: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64. */
export function clientKey(remote: string | undefined): string {
  if (!remote) return "unknown";
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (v4) return v4[1];
  if (!isIPv6(remote)) return remote;
  const [head, tail = ""] = remote.split("%")[0].split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = remote.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":") + "::/64";
}
