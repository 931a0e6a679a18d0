import http from "node:http";
import type { AddressInfo } from "node:net";
import { BadRequestError, parseTarget } from "../http-target.ts";
import { clientKey, MAX_SKEW_MS } from "./auth.ts";
import { BoundedLru, WindowLimiter } from "./bounded-state.ts";
import { EscrowCache, latencySignatureFailure, type EscrowCheck } from "./latency-auth.ts";
import { loadSignatureFailure } from "./load-report.ts";
import type { Router } from "./router.ts";

export interface RoutingHttpOptions {
  port?: number;
  host?: string;
  /** Clock in ms; injectable for tests. */
  now?: () => number;
  /** Whether an account holds an escrow (the chain); without it no latency report is accepted. */
  hasEscrow?: EscrowCheck;
  /** Escrow lookups are cached this long (default 60 s), for at most 10,000 addresses. */
  escrowTtlMs?: number;
  /** Latency reports accepted per (client, node) per minute (default 5). */
  latencyPerMinute?: number;
}

/** Bound on the (client, node) pairs whose latency budget and last counter are remembered (least recently used evicted). */
const LATENCY_KEYS = 50_000;
const MAX_SIG_B64 = 200;

const CONTENT_RE = /^[0-9a-f]{64}$/;
/** The chain's region format (peernode params). */
const REGION_RE = /^[a-z0-9-]{2,32}$/;
const NODE_ID_RE = /^(0|[1-9][0-9]{0,19})$/;
const MAX_BODY = 16 * 1024;
const MAX_N = 50;
const DEFAULT_N = 3;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bad = (code: string, message: string) => new HttpError(400, code, message);

/**
 * PeerRouting over HTTP/JSON: GET /route, /prefetch, /health; POST /report, /failed,
 * /latency. A /failed report is checked by probing the node before it is believed.
 * Every error is `{ code, message }` with a 4xx/5xx status: a request it cannot parse
 * (target, parameters, body) is a 4xx, and a 5xx only ever the service's own failure.
 */
export async function startRoutingHttp(router: Router, opts: RoutingHttpOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const { port = 0, host = "127.0.0.1", now = Date.now } = opts;
  const auth: Auth = {
    escrow: opts.hasEscrow ? new EscrowCache(opts.hasEscrow, { ttlMs: opts.escrowTtlMs ?? 60_000, maxEntries: 10_000, maxInFlight: 32 }) : undefined,
    latencyRate: new WindowLimiter(opts.latencyPerMinute ?? 5, 60_000, LATENCY_KEYS),
    latencyLast: new BoundedLru(LATENCY_KEYS),
  };
  const server = http.createServer((req, res) => {
    // pages ask routing too (client/web): any origin may read its answers and post failures
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...CORS, "access-control-allow-methods": "GET, POST, OPTIONS", "access-control-allow-headers": "content-type", "access-control-max-age": "86400" });
      return void res.end();
    }
    handle(router, now, auth, req)
      .then((body) => send(res, 200, body))
      .catch((err: unknown) => {
        if (err instanceof HttpError) send(res, err.status, { code: err.code, message: err.message });
        else if (err instanceof BadRequestError) send(res, 400, { code: "invalid_request", message: err.message });
        else send(res, 500, { code: "internal", message: (err as Error)?.message ?? String(err) });
      });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

interface Auth {
  escrow?: EscrowCache;
  /** (client, node) → latency reports this minute. */
  latencyRate: WindowLimiter;
  /** (client, node) → counter of the last latency report accepted. */
  latencyLast: BoundedLru<string, number>;
}

async function handle(router: Router, now: () => number, auth: Auth, req: http.IncomingMessage): Promise<unknown> {
  const url = parseTarget(req);
  const route = `${req.method} ${url.pathname}`;
  const q = url.searchParams;
  switch (route) {
    case "GET /route": {
      const content = contentParam(q.get("content"));
      const region = regionParam(q.get("region"));
      const n = nParam(q.get("n"));
      return router.route(content, region, n, now(), clientKey(req.socket.remoteAddress));
    }
    case "GET /prefetch":
      return router.prefetchFor(nodeIdParam(q.get("node"), "node"), now());
    case "GET /health":
      return router.health();
    case "POST /report": {
      const b = await jsonBody(req);
      const nodeId = nodeIdParam(b.nodeId, "nodeId");
      const load = b.load;
      if (typeof load !== "number" || !Number.isFinite(load) || load < 0 || load > 1) throw bad("invalid_load", "load must be a number in 0..1");
      if (b.signature === undefined && b.seq === undefined) throw new HttpError(401, "unsigned_report", "a load report must carry seq and signature: the node's libp2p key over aro/routing-load/1 (see workers/routing/auth.ts)");
      const seq = counterParam(b.seq, "seq");
      const signature = signatureParam(b.signature);
      const node = router.table.nodes.get(nodeId);
      if (!node) known(false, nodeId);
      const why = await loadSignatureFailure(node!.peerId, nodeId, load, seq, signature);
      if (why) throw new HttpError(403, "bad_signature", `load report for node ${nodeId} refused: ${why}`);
      const t = now();
      if (Math.abs(seq - t) > MAX_SKEW_MS) throw new HttpError(403, "stale_report", `seq ${seq} is more than ${MAX_SKEW_MS} ms from routing's clock ${t}`);
      // checked after the await: the counter test and update are one synchronous step
      const current = router.table.nodes.get(nodeId);
      if (current !== node) known(false, nodeId);
      if (seq <= node!.lastReportSeq) throw new HttpError(403, "replayed_report", `seq ${seq} is not above the last accepted from node ${nodeId} (${node!.lastReportSeq})`);
      node!.lastReportSeq = seq;
      return known(router.reportLoad(nodeId, load, t), nodeId);
    }
    case "POST /failed": {
      const b = await jsonBody(req);
      const nodeId = nodeIdParam(b.nodeId, "nodeId");
      const content = b.content === undefined ? undefined : contentParam(b.content);
      const outcome = await router.reportFailed(nodeId, content, now);
      if (outcome === "unknown-node") known(false, nodeId);
      return { ok: true, outcome };
    }
    case "POST /latency": {
      const b = await jsonBody(req);
      const nodeId = nodeIdParam(b.nodeId, "nodeId");
      const region = regionParam(b.region);
      const ms = b.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > 60_000) throw bad("invalid_latency", "ms must be a number in 0..60000");
      if (b.signature === undefined && b.client === undefined) throw new HttpError(401, "unsigned_report", "a latency report must be signed by an escrow holder's account key: client, pubkey, ts, signature (see workers/routing/auth.ts)");
      if (typeof b.client !== "string" || !/^[a-z0-9]{1,20}1[02-9ac-hj-np-z]{6,90}$/.test(b.client)) throw bad("invalid_client", "client must be a bech32 account address");
      const client = b.client;
      if (typeof b.pubkey !== "string" || b.pubkey.length > 64) throw bad("invalid_pubkey", "pubkey must be a base64 compressed secp256k1 key");
      const ts = counterParam(b.ts, "ts");
      const signature = signatureParam(b.signature);
      if (!router.table.nodes.has(nodeId)) known(false, nodeId);
      const t = now();
      if (Math.abs(ts - t) > MAX_SKEW_MS) throw new HttpError(403, "stale_report", `ts ${ts} is more than ${MAX_SKEW_MS} ms from routing's clock ${t}`);
      const why = latencySignatureFailure(client, b.pubkey, nodeId, region, ms, ts, signature);
      if (why) throw new HttpError(403, "bad_signature", `latency report refused: ${why}`);
      const key = `${client}|${nodeId}`;
      const last = auth.latencyLast.peek(key);
      if (last !== undefined && ts <= last) throw new HttpError(403, "replayed_report", `ts ${ts} is not above the last accepted from ${client} for node ${nodeId} (${last})`);
      if (!auth.latencyRate.fits(key, t)) throw new HttpError(429, "rate_limited", `at most ${auth.latencyRate.perWindow} latency reports per node per client per minute`);
      if (!auth.escrow) throw new HttpError(403, "no_escrow", "this routing service cannot check escrows: it accepts no latency reports");
      let has: boolean | "busy";
      try {
        has = await auth.escrow.has(client, t);
      } catch (err) {
        throw new HttpError(503, "escrow_unavailable", `cannot check the escrow of ${client}: ${(err as Error).message}`);
      }
      if (has === "busy") throw new HttpError(429, "rate_limited", "too many escrow lookups in flight: try again shortly");
      if (!has) throw new HttpError(403, "no_escrow", `${client} holds no escrow on chain: only paying clients' latency counts`);
      const again = auth.latencyLast.peek(key);
      if (again !== undefined && ts <= again) throw new HttpError(403, "replayed_report", `ts ${ts} is not above the last accepted from ${client} for node ${nodeId} (${again})`);
      if (!auth.latencyRate.take(key, t)) throw new HttpError(429, "rate_limited", `at most ${auth.latencyRate.perWindow} latency reports per node per client per minute`);
      auth.latencyLast.set(key, ts);
      return known(router.reportLatency(nodeId, region, ms, t), nodeId);
    }
  }
  if (["/route", "/prefetch", "/health", "/report", "/failed", "/latency"].includes(url.pathname)) {
    throw new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}`);
  }
  throw new HttpError(404, "not_found", `unknown path ${url.pathname}: use /route, /prefetch, /health, /report, /failed or /latency`);
}

function known(ok: boolean, nodeId: string): { ok: true } {
  if (!ok) throw new HttpError(404, "unknown_node", `node ${nodeId} is not known to routing`);
  return { ok: true };
}

/** A non-negative safe integer (a clock in ms or a counter). */
function counterParam(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw bad(`invalid_${name}`, `${name} must be a non-negative integer (ms)`);
  return v;
}

function signatureParam(v: unknown): string {
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_SIG_B64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) throw bad("invalid_signature", "signature must be base64");
  return v;
}

function contentParam(v: unknown): string {
  if (typeof v !== "string" || !CONTENT_RE.test(v.toLowerCase())) throw bad("invalid_content", "content must be a 64-character hex content root");
  return v.toLowerCase();
}

function regionParam(v: unknown): string {
  if (typeof v !== "string" || !REGION_RE.test(v)) throw bad("invalid_region", "region must be 2-32 lower-case letters, digits or dashes");
  return v;
}

function nParam(v: string | null): number {
  if (v === null) return DEFAULT_N;
  if (!/^[0-9]{1,3}$/.test(v) || Number(v) < 1 || Number(v) > MAX_N) throw bad("invalid_n", `n must be an integer in 1..${MAX_N}`);
  return Number(v);
}

function nodeIdParam(v: unknown, name: string): string {
  if (typeof v !== "string" || !NODE_ID_RE.test(v)) throw bad("invalid_node", `${name} must be a chain node id as a decimal string`);
  return v;
}

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) throw new HttpError(413, "body_too_large", `body exceeds ${MAX_BODY} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw bad("invalid_request", `the body did not arrive whole: ${(err as Error).message}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (err) {
    throw bad("bad_json", `body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad("bad_json", "body must be a JSON object");
  return v as Record<string, unknown>;
}

const CORS = { "access-control-allow-origin": "*" };

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
