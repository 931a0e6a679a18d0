import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { AgentMetrics, startMetricsHttp } from "../../app/agent/metrics.ts";
import { identityFromKey } from "../../workers/dts/challenge.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { manifestToJson } from "../../client/content/manifest.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { Router, startRoutingHttp } from "../../workers/routing/index.ts";
import { rawRequest, type RawExchange, type RawResponse } from "../support/raw-http.ts";

/** The seed of every run: a failure reproduces exactly. */
const SEED = 0x5eed_a70;
/** Requests per server (all three: 4,500). */
const PER_SERVER = 1_500;
const CONCURRENCY = 16;
const SOCKET_TIMEOUT_MS = 5_000;

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly rnd: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.rnd() * 256);
    return b;
  }
  /** printable ASCII, no spaces (so the request line keeps its shape) */
  token(n: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.~!$&'()*+,;=:@%[]{}|^`\\\"<>"): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rnd() * alphabet.length)];
    return s;
  }
  hex(n: number): string {
    return this.token(n, "0123456789abcdef");
  }
}

interface FuzzRequest {
  method: string;
  bytes: Buffer;
  head: boolean;
  label: string;
}

/** A root mutated the ways a hostile client would: case, length, non-hex, encodings. */
function mutateRoot(g: Gen, root: string): string {
  switch (g.int(0, 9)) {
    case 0:
      return root;
    case 1:
      return root.toUpperCase();
    case 2:
      return root.slice(0, g.int(0, 63));
    case 3:
      return root + g.hex(g.int(1, 4));
    case 4:
      return root.slice(0, 10) + "g" + root.slice(11);
    case 5:
      return root.slice(0, 20) + "%" + g.token(2, "0123456789abcdefxyz%") + root.slice(22);
    case 6:
      return "%" + root.slice(0, 2) + root.slice(2);
    case 7:
      return g.hex(64);
    case 8:
      return root.slice(0, 32) + g.pick(["[", "]", "//", "%00", "%2F", "..", "\\", "%ZZ", "%"]) + root.slice(32);
    default:
      return g.token(g.int(0, 80));
  }
}

/** Mutations of a path built from a real route. */
function mutateTarget(g: Gen, target: string): string {
  let t = target;
  const n = g.chance(0.35) ? 0 : g.int(1, 3);
  for (let i = 0; i < n; i++) {
    switch (g.int(0, 13)) {
      case 0:
        t = "//[" + t;
        break;
      case 1:
        t = "http://[::1" + t;
        break;
      case 2:
        t = "/" + t; // "//route": the first segment reads as a host
        break;
      case 3:
        t = `http://127.0.0.1:${g.int(0, 99_999)}` + t; // absolute-form, sometimes with a bad port
        break;
      case 4: {
        const at = g.int(0, t.length);
        t = t.slice(0, at) + g.pick(["%", "%z", "%zz", "%G0", "%00", "%C0%AE", "%FF%FE", "%E2%82", "%25", "[", "]", "[::", "#frag", "?", "&", "=", "%%", "\\", "/../", "/./"]) + t.slice(at);
        break;
      }
      case 5:
        t += (t.includes("?") ? "&" : "?") + g.token(g.int(1, 40)) + "=" + g.token(g.int(0, 40));
        break;
      case 6: {
        // a huge query string, within reason (and now and then past Node's header limit)
        const size = g.chance(0.1) ? g.int(17_000, 24_000) : g.int(500, 8_000);
        t += (t.includes("?") ? "&" : "?") + "q=" + g.token(size, "abcdefghijklmnopqrstuvwxyz0123456789%&=");
        break;
      }
      case 7:
        t = t.slice(0, g.int(0, t.length));
        break;
      case 8:
        t = t.toUpperCase();
        break;
      case 9:
        t = t.replace(/\//g, () => (g.chance(0.5) ? "//" : "/"));
        break;
      case 10:
        t = g.pick(["*", "", "?", "#", "@", "http://", "http:", "//", "///", "%2F", "x"]) + t;
        break;
      case 11:
        t = t + g.pick(["/", "//", "/x", "%", "?%", "?a=%zz", "?nonce=%", "?content=%FF"]);
        break;
      case 12: {
        // one raw byte: control characters and non-ASCII bytes make Node's parser answer 400 itself
        const at = g.int(0, t.length);
        t = t.slice(0, at) + String.fromCharCode(g.pick([0x01, 0x7f, 0x80, 0xc3, 0xff, 0x09])) + t.slice(at);
        break;
      }
      default:
        t = t.replace(/[0-9a-f]{64}/, (r) => mutateRoot(g, r));
    }
  }
  return t;
}

function randomRange(g: Gen, size: number): string {
  const n = () => String(g.pick([0, 1, g.int(0, size), size - 1, size, size + 1, g.int(0, 2 ** 31), Number.MAX_SAFE_INTEGER]));
  switch (g.int(0, 8)) {
    case 0:
      return `bytes=${n()}-${n()}`;
    case 1:
      return `bytes=${n()}-`;
    case 2:
      return `bytes=-${n()}`;
    case 3:
      return `bytes=${n()}-${n()},${n()}-${n()}`;
    case 4:
      return `bytes=-`;
    case 5:
      return `bytes=99999999999999999999999-`;
    case 6:
      return `items=${n()}-${n()}`;
    case 7:
      return `bytes=${g.token(g.int(0, 12), "0123456789-,= x")}`;
    default:
      return g.token(g.int(0, 30));
  }
}

/** A request built from one route, with mutated method, target, headers and body. */
function buildRequest(g: Gen, route: { method: string; target: string; body?: () => Buffer }, size: number): FuzzRequest {
  let method = route.method;
  if (g.chance(0.2)) method = g.pick(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "get", "PUTT", "CONNECT", "FOO"]);
  const target = mutateTarget(g, route.target);
  const headers: string[] = ["Host: 127.0.0.1"];
  if (g.chance(0.3)) headers.push(`Range: ${randomRange(g, size)}`);
  if (g.chance(0.05)) headers.push(`Range: ${randomRange(g, size)}`);
  let body = route.body && g.chance(0.85) ? route.body() : g.chance(0.15) ? g.bytes(g.int(0, 3000)) : Buffer.alloc(0);
  const framing = g.int(0, 9);
  if (framing <= 5) {
    if (body.length > 0 || g.chance(0.5)) headers.push(`Content-Length: ${body.length}`);
  } else if (framing === 6) {
    // lies about its length: longer or shorter than what is sent
    headers.push(`Content-Length: ${Math.max(0, body.length + g.pick([-1000, -1, 1, 7, 5000]))}`);
  } else if (framing === 7) {
    headers.push(`Content-Length: ${g.pick(["-1", "abc", "1e3", " 12", "0x10", "99999999999999999999", "", "5, 6"])}`);
  } else if (framing === 8) {
    headers.push("Transfer-Encoding: chunked");
    const chunked: Buffer[] = [];
    for (let off = 0; off < body.length; ) {
      const n = Math.min(body.length - off, g.int(1, 1500));
      chunked.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(off, off + n), Buffer.from("\r\n"));
      off += n;
    }
    chunked.push(Buffer.from(g.chance(0.8) ? "0\r\n\r\n" : g.pick(["zz\r\n", "0\r\n", "5\r\nab\r\n0\r\n\r\n", ""])));
    body = Buffer.concat(chunked);
  } else {
    headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
  }
  if (g.chance(0.1)) headers.push(`X-${g.token(g.int(1, 20), "abcdefghijklmnopqrstuvwxyz-")}: ${g.token(g.int(0, 60))}`);
  if (g.chance(0.5)) headers.push("Connection: close");
  const head = `${method} ${target} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`;
  return {
    method,
    bytes: Buffer.concat([Buffer.from(head, "latin1"), body]),
    head: method === "HEAD",
    label: JSON.stringify(head.length > 300 ? head.slice(0, 300) + "…" : head),
  };
}

const summary = (s: Map<number | string, number>) => [...s].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([k, v]) => `${k}×${v}`).join(" ");

/** Checks one response the server (not Node's parser) wrote; returns what is wrong with it. */
type ResponseCheck = (res: RawResponse) => string | undefined;

async function runAll(url: string, requests: FuzzRequest[], checkResponse?: ResponseCheck): Promise<{ failures: string[]; statuses: Map<number | string, number> }> {
  const failures: string[] = [];
  const statuses = new Map<number | string, number>();
  const count = (k: number | string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  let next = 0;
  const check = (req: FuzzRequest, r: RawExchange) => {
    const answer = JSON.stringify(r.raw.subarray(0, 300).toString("latin1"));
    if (r.timedOut) return failures.push(`${req.label}: no answer and no close within ${SOCKET_TIMEOUT_MS} ms (got ${answer})`);
    if (r.malformed) return failures.push(`${req.label}: the answer is not HTTP/1.1 (${r.malformed}): ${answer}`);
    if (r.responses.length === 0) {
      // Node itself drops a CONNECT (the servers take no tunnels) by closing the connection;
      // everything else Node's parser refuses gets its own 400
      count(r.error ? `closed (${r.error})` : "closed");
      if (req.method !== "CONNECT") failures.push(`${req.label}: connection ${r.error ? `ended in ${r.error}` : "closed"} without an answer`);
      return;
    }
    for (const [i, res] of r.responses.entries()) {
      count(res.status);
      if (res.status >= 500) failures.push(`${req.label}: ${res.status}: ${answer}`);
      // (the answer to a HEAD has no body to check)
      const wrong = req.head && i === 0 ? undefined : checkResponse?.(res);
      if (wrong) failures.push(`${req.label}: ${wrong}: ${answer}`);
    }
  };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const req = requests[next++];
        check(req, await rawRequest(url, req.bytes, { head: req.head, timeoutMs: SOCKET_TIMEOUT_MS }));
      }
    }),
  );
  if (process.env.FUZZ_VERBOSE) console.log(`      ${url}: ${summary(statuses)}`);
  return { failures, statuses };
}

describe(`seeded HTTP fuzz (seed ${SEED.toString(16)}): mutated raw requests to the PeerDTS, metrics and routing servers on 127.0.0.1`, function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-fuzz-"));
  const chunkSize = 1024;
  // the content itself comes from the seed too
  const data = new Gen(mulberry32(SEED ^ 0xc0ffee)).bytes(6_000);
  const { content, chunks } = chunkContent(new Uint8Array(data), chunkSize);
  const store = new Blockstore(dir);
  let dts: Awaited<ReturnType<typeof startDtsHttp>>;
  let metrics: Awaited<ReturnType<typeof startMetricsHttp>>;
  let routing: Awaited<ReturnType<typeof startRoutingHttp>>;
  const router = new Router({ probe: async (n) => (n.nodeId === "2" ? "failed" : "alive") });
  for (let i = 1; i <= 3; i++) {
    router.table.upsertNode({ nodeId: String(i), peerId: `12D3KooWpeer${i}`, region: "europe", httpUrl: `http://10.0.0.${i}:8080`, multiaddrs: [`/ip4/10.0.0.${i}/tcp/4001`] });
  }
  router.table.addHolder(content.root, "1", "chain");

  before(async () => {
    store.put(content, chunks);
    const key = await generateKeyPair("Ed25519");
    dts = await startDtsHttp(
      new DtsService(store, {
        identity: identityFromKey(key, peerIdFromPrivateKey(key).toString()),
        receipts: { accept: async () => Promise.reject(new Error("no delivery of ours matches this receipt")) },
        uploads: async (root) => (root === content.root ? { size: content.size, chunkSize } : undefined),
      }),
    );
    metrics = await startMetricsHttp(new AgentMetrics(), { status: async () => ({ height: 1n }), healthy: async () => ({ ok: true, checks: {} }) }, "127.0.0.1:0");
    routing = await startRoutingHttp(router);
  });
  after(async () => {
    await dts?.close();
    await metrics?.close();
    await routing?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("PeerDTS: no 5xx, every answer is HTTP, and the held content survives byte-identical", async () => {
    const g = new Gen(mulberry32(SEED));
    const r = content.root;
    const routes = [
      { method: "GET", target: `/content/${r}` },
      { method: "HEAD", target: `/content/${r}` },
      { method: "GET", target: `/manifest/${r}` },
      { method: "GET", target: `/chunk/${r}/${g.int(0, 5)}` },
      { method: "GET", target: `/chunk/${r}/IDX` },
      { method: "GET", target: "/health" },
      { method: "GET", target: `/challenge?nonce=${"a".repeat(64)}` },
      { method: "GET", target: "/challenge?nonce=NONCE" },
      { method: "POST", target: "/receipt", body: () => g.bytes(g.chance(0.05) ? g.int(4000, 6000) : g.int(0, 300)) },
      {
        method: "PUT",
        target: `/content/${r}`,
        body: () => (g.chance(0.3) ? data : g.chance(0.5) ? Buffer.concat([data.subarray(0, g.int(0, data.length)), g.bytes(g.int(0, 2000))]) : g.bytes(g.int(0, 8000))),
      },
    ];
    const requests: FuzzRequest[] = [];
    for (let i = 0; i < PER_SERVER; i++) {
      const route = g.pick(routes);
      const target = route.target
        .replace("IDX", () => g.pick(["-1", "6", "99999999999999999999999", "1e3", "0x1", "00", "1.5", "NaN", String(2 ** 53)]))
        .replace("NONCE", () => g.pick(["", "%zz", "a".repeat(63), "A".repeat(64), g.hex(64), g.hex(g.int(0, 200)), g.token(64)]));
      requests.push(buildRequest(g, { ...route, target }, data.length));
    }
    const { failures, statuses } = await runAll(dts.url, requests);
    assert.ok(failures.length === 0, `${failures.length} bad answers of ${requests.length} (statuses: ${summary(statuses)}), the first:\n${failures.slice(0, 8).join("\n")}`);
    assert.ok((statuses.get(200) ?? 0) > 50 && (statuses.get(400) ?? 0) > 50, `the fuzz reached both the routes and the refusals: ${summary(statuses)}`);
    assert.equal(statuses.get(201), undefined, "the node already holds the content: no upload of it may answer 201 stored");
    assert.ok((statuses.get(422) ?? 0) > 0 && (statuses.get(413) ?? 0) > 0, `wrong uploads were refused: ${summary(statuses)}`);

    assert.equal((await fetch(`${dts.url}/health`)).status, 200);
    const whole = await fetch(`${dts.url}/content/${content.root}`);
    assert.equal(whole.status, 200);
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(data), "the held content still downloads byte-identical");
    assert.deepEqual(store.manifest(content.root), manifestToJson(content));
  });

  it("metrics: no 5xx, every answer is HTTP, /health still 200", async () => {
    const g = new Gen(mulberry32(SEED + 1));
    const routes = [
      { method: "GET", target: "/metrics" },
      { method: "GET", target: "/health" },
      { method: "GET", target: "/status" },
      { method: "HEAD", target: "/status" },
      { method: "POST", target: "/metrics", body: () => g.bytes(g.int(0, 500)) },
    ];
    const requests = Array.from({ length: PER_SERVER }, () => buildRequest(g, g.pick(routes), 0));
    const { failures, statuses } = await runAll(metrics.url, requests);
    assert.ok(failures.length === 0, `${failures.length} bad answers of ${requests.length} (statuses: ${summary(statuses)}), the first:\n${failures.slice(0, 8).join("\n")}`);
    assert.ok((statuses.get(200) ?? 0) > 50 && (statuses.get(400) ?? 0) > 50, summary(statuses));
    assert.equal((await fetch(`${metrics.url}/health`)).status, 200);
  });

  it("routing: no 5xx, every answer is HTTP (errors as JSON { code, message }), /health still 200", async () => {
    const g = new Gen(mulberry32(SEED + 2));
    const r = content.root;
    const json = (o: Record<string, unknown>) => () => {
      const text = JSON.stringify(o);
      if (g.chance(0.6)) return Buffer.from(text);
      // mutated JSON: cut, a byte changed, or bytes appended
      const b = Buffer.from(text);
      switch (g.int(0, 3)) {
        case 0:
          return b.subarray(0, g.int(0, b.length));
        case 1:
          b[g.int(0, b.length - 1)] = g.int(0, 255);
          return b;
        case 2:
          return Buffer.concat([b, g.bytes(g.int(1, 50))]);
        default:
          return g.bytes(g.chance(0.05) ? g.int(16_000, 20_000) : g.int(0, 200));
      }
    };
    const pickNode = () => g.pick(["1", "2", "3", "777", "-1", "01", "abc", 1, null, "99999999999999999999"]);
    const routes = [
      { method: "GET", target: `/route?content=${r}&region=europe&n=2` },
      { method: "GET", target: `/route?content=${r}&region=asia` },
      { method: "GET", target: `/prefetch?node=1` },
      { method: "GET", target: "/health" },
      { method: "POST", target: "/report", body: () => json({ nodeId: pickNode(), load: g.pick([0, 0.5, 1, 2, -1, "x", null]) })() },
      { method: "POST", target: "/latency", body: () => json({ nodeId: pickNode(), region: g.pick(["europe", "x", "EU"]), ms: g.pick([1, 50, -5, 1e9, "7"]) })() },
      { method: "POST", target: "/failed", body: () => json({ nodeId: pickNode(), content: g.pick([r, undefined, "abc", 5]) })() },
    ];
    const requests = Array.from({ length: PER_SERVER }, () => buildRequest(g, g.pick(routes), 0));
    // Node's own 400 for what its parser refuses has no content type; routing's errors are JSON { code, message }
    const jsonErrors: ResponseCheck = (res) => {
      if (res.status < 400 || res.headers["content-type"] === undefined) return undefined;
      try {
        const b = JSON.parse(res.body.toString());
        return typeof b.code === "string" && typeof b.message === "string" ? undefined : "an error that is not { code, message }";
      } catch {
        return "an error that is not JSON";
      }
    };
    const { failures, statuses } = await runAll(routing.url, requests, jsonErrors);
    assert.ok(failures.length === 0, `${failures.length} bad answers of ${requests.length} (statuses: ${summary(statuses)}), the first:\n${failures.slice(0, 8).join("\n")}`);
    assert.ok((statuses.get(200) ?? 0) > 50 && (statuses.get(400) ?? 0) > 50, summary(statuses));
    const h = await fetch(`${routing.url}/health`);
    assert.equal(h.status, 200);
    assert.equal(((await h.json()) as { ok: boolean }).ok, true);
  });
});
