import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, interceptors, request, type Dispatcher } from "undici";
import { answerPreflight, MAX_RANGES, serveContent, type ServedContent } from "./http-content.ts";

const ROOT = "ab".repeat(32);
const DATA = new Uint8Array(randomBytes(300_000));
const PIECE = 64 * 1024;

/** An in-memory readRange in 64 KiB pieces, counting what was read. */
function memory(data: Uint8Array, log: { reads: number; bytes: number; closed: number }, failAt?: number): ServedContent["readRange"] {
  return async function* (start, end) {
    log.reads++;
    try {
      for (let at = start; at < end; at += PIECE) {
        if (failAt !== undefined && at >= failAt) throw new Error("disk gone");
        const piece = data.subarray(at, Math.min(end, at + PIECE));
        log.bytes += piece.length;
        yield piece;
      }
    } finally {
      log.closed++;
    }
  };
}

describe("dts: serveContent (HTTP as CDNs and browsers expect)", function () {
  let server: http.Server;
  let url: string;
  const log = { reads: 0, bytes: 0, closed: 0 };
  const seen: http.IncomingHttpHeaders[] = [];
  let served: Omit<ServedContent, "readRange"> & { data: Uint8Array; failAt?: number } = { size: DATA.length, root: ROOT, mediaType: "image/png", data: DATA };
  const agent = new Agent();

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      if (req.method === "OPTIONS") return answerPreflight(req, res);
      const { data, failAt, ...o } = served;
      serveContent(req, res, { ...o, readRange: memory(data, log, failAt) }).catch((err: Error) => {
        if (res.headersSent) return;
        res.writeHead(404, { "content-type": "text/plain" });
        res.end(err.message);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    served = { size: DATA.length, root: ROOT, mediaType: "image/png", data: DATA };
    Object.assign(log, { reads: 0, bytes: 0, closed: 0 });
    seen.length = 0;
  });

  const get = async (headers: Record<string, string> = {}, method: Dispatcher.HttpMethod = "GET", path = `/content/${ROOT}`, dispatcher: Dispatcher = agent) => {
    const r = await request(url + path, { method, headers, dispatcher });
    return { status: r.statusCode, headers: r.headers, body: new Uint8Array(await r.body.arrayBuffer()) };
  };

  it("GET: 200 with the whole body, strong ETag, a year immutable, media type, nosniff, CORS, Content-Disposition", async () => {
    served = { ...served, fileName: "models/modèle \"v1\".safetensors", mediaType: "" };
    const r = await get({ origin: "https://site.example" });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, DATA);
    assert.equal(r.headers.etag, `"${ROOT}"`);
    assert.equal(r.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(r.headers["accept-ranges"], "bytes");
    assert.equal(r.headers["content-type"], "application/octet-stream", "an empty media type is octets");
    assert.equal(r.headers["x-content-type-options"], "nosniff");
    assert.equal(r.headers["content-length"], String(DATA.length));
    assert.equal(r.headers["access-control-allow-origin"], "*");
    assert.equal(r.headers["access-control-expose-headers"], "Content-Range, Content-Length, Accept-Ranges, ETag, Content-Type, Content-Disposition, X-Aro-Proof, Upload-Offset");
    assert.equal(r.headers["content-disposition"], `inline; filename="mod_le _v1_.safetensors"; filename*=UTF-8''mod%C3%A8le%20%22v1%22.safetensors`);
  });

  it("HEAD: the GET's headers, no body, nothing read", async () => {
    const r = await get({}, "HEAD");
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 0);
    assert.equal(r.headers["content-length"], String(DATA.length));
    assert.equal(r.headers["content-type"], "image/png");
    assert.equal(r.headers.etag, `"${ROOT}"`);
    assert.equal(log.reads, 0);
    const ranged = await get({ range: "bytes=0-9,100-109" }, "HEAD");
    assert.equal(ranged.status, 206);
    assert.match(String(ranged.headers["content-type"]), /^multipart\/byteranges; boundary=/);
    assert.equal(log.reads, 0);
  });

  it("one Range: 206 with Content-Range (first-last, open end, suffix, past the end clamped); only that window is read", async () => {
    for (const [range, start, end] of [["bytes=100-199", 100, 200], [`bytes=299990-`, 299_990, 300_000], ["bytes=-10", 299_990, 300_000], ["BYTES = 5-999999999", 5, 300_000], ["bytes=-400000", 0, 300_000]] as const) {
      Object.assign(log, { bytes: 0 });
      const r = await get({ range });
      assert.equal(r.status, 206, range);
      assert.equal(r.headers["content-range"], `bytes ${start}-${end - 1}/${DATA.length}`, range);
      assert.equal(r.headers["content-length"], String(end - start));
      assert.deepEqual(r.body, DATA.subarray(start, end), range);
      assert.equal(log.bytes, end - start, "read only the window");
    }
  });

  it("several ranges: 206 multipart/byteranges in offset order; overlapping ones coalesced; unsatisfiable ones dropped", async () => {
    const r = await get({ range: "bytes=1000-1099, 0-9,299999-300500" });
    assert.equal(r.status, 206);
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(String(r.headers["content-type"]))![1];
    assert.equal(r.headers["content-length"], String(r.body.length));
    const text = Buffer.from(r.body).toString("latin1");
    const parts = text.split(`--${boundary}`);
    assert.equal(parts.at(-1), "--\r\n");
    const got = parts.slice(1, -1).map((p) => {
      const [head, body] = p.split("\r\n\r\n");
      return { range: /content-range: (.+)/.exec(head)![1].trim(), type: /content-type: (.+)/.exec(head)![1].trim(), body: Buffer.from(body.replace(/\r\n$/, ""), "latin1") };
    });
    assert.deepEqual(got.map((p) => p.range), ["bytes 0-9/300000", "bytes 1000-1099/300000", "bytes 299999-299999/300000"]);
    assert.ok(got.every((p) => p.type === "image/png"));
    assert.deepEqual(new Uint8Array(got[1].body), DATA.subarray(1000, 1100));
    assert.deepEqual(new Uint8Array(got[2].body), DATA.subarray(299_999));

    const merged = await get({ range: "bytes=0-9,5-19,20-29,400000-" });
    assert.equal(merged.status, 206, "overlapping and adjacent ranges coalesce into one");
    assert.equal(merged.headers["content-range"], "bytes 0-29/300000");
    assert.deepEqual(merged.body, DATA.subarray(0, 30));
  });

  it("416 with Content-Range bytes */size: nothing satisfiable, or more than MAX_RANGES ranges (never the whole body instead)", async () => {
    for (const range of [`bytes=${DATA.length}-`, "bytes=400000-500000", "bytes=-0", `bytes=${Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(",")}`]) {
      const r = await get({ range });
      assert.equal(r.status, 416, range);
      assert.equal(r.headers["content-range"], `bytes */${DATA.length}`);
      assert.equal(r.headers["access-control-allow-origin"], "*");
      assert.notEqual(r.headers["cache-control"], "public, max-age=31536000, immutable", "a 416 is not cached for a year");
    }
    assert.match(Buffer.from((await get({ range: `bytes=${"0-0,".repeat(MAX_RANGES)}0-0` })).body).toString(), /at most 16 ranges/);
    assert.equal(log.reads, 0);
    const ok16 = await get({ range: `bytes=${Array.from({ length: MAX_RANGES }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(",")}` });
    assert.equal(ok16.status, 206);
  });

  it("a Range that is not bytes ranges, or has last < first, is ignored: 200 with the whole body", async () => {
    for (const range of ["items=0-9", "bytes=9-0", "bytes=abc", "bytes="]) {
      const r = await get({ range });
      assert.equal(r.status, 200, range);
      assert.equal(r.body.length, DATA.length);
    }
  });

  it("If-None-Match (weak comparison, lists, *): 304 with ETag and Cache-Control, no body, nothing read; another tag: 200", async () => {
    for (const inm of [`"${ROOT}"`, `W/"${ROOT}"`, `"x", W/"y" ,"${ROOT}"`, "*"]) {
      const r = await get({ "if-none-match": inm, range: "bytes=0-9" });
      assert.equal(r.status, 304, inm);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers.etag, `"${ROOT}"`);
      assert.equal(r.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(r.headers["access-control-allow-origin"], "*");
    }
    assert.equal(log.reads, 0);
    for (const inm of [`"${"cd".repeat(32)}"`, `${ROOT}`, `"x", garbage "${ROOT}"`]) assert.equal((await get({ "if-none-match": inm })).status, 200, inm);
  });

  it("If-Range: the Range applies only for our strong ETag; a weak tag, another tag or a date gives the whole body", async () => {
    assert.equal((await get({ range: "bytes=0-9", "if-range": `"${ROOT}"` })).status, 206);
    for (const ir of [`W/"${ROOT}"`, `"other"`, "Wed, 21 Oct 2015 07:28:00 GMT"]) {
      const r = await get({ range: "bytes=0-9", "if-range": ir });
      assert.equal(r.status, 200, ir);
      assert.equal(r.body.length, DATA.length);
    }
  });

  it("If-Match naming another tag: 412; methods other than GET/HEAD: 405", async () => {
    assert.equal((await get({ "if-match": `"other"` })).status, 412);
    assert.equal((await get({ "if-match": `"${ROOT}"` })).status, 200);
    const del = await get({}, "DELETE");
    assert.equal(del.status, 405);
    assert.equal(del.headers.allow, "GET, HEAD, OPTIONS");
  });

  it("CORS preflight: 204 with methods, headers and a day's Max-Age; another method or header: 403 saying which", async () => {
    const pre = await get({ origin: "https://site.example", "access-control-request-method": "GET", "access-control-request-headers": "range, if-none-match" }, "OPTIONS");
    assert.equal(pre.status, 204);
    assert.equal(pre.headers["access-control-allow-origin"], "*");
    assert.equal(pre.headers["access-control-allow-methods"], "GET, HEAD, OPTIONS");
    assert.equal(pre.headers["access-control-allow-headers"], "range, if-none-match, if-match, if-range, content-type");
    assert.equal(pre.headers["access-control-max-age"], "86400");
    const receipt = await get({ origin: "https://site.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" }, "OPTIONS", "/receipt");
    assert.equal(receipt.status, 204);
    assert.equal(receipt.headers["access-control-allow-methods"], "POST, OPTIONS");
    const put = await get({ origin: "https://site.example", "access-control-request-method": "PUT" }, "OPTIONS");
    assert.equal(put.status, 403);
    assert.match(Buffer.from(put.body).toString(), /method PUT is not allowed on \/content\/(ab)+ \(allowed: GET, HEAD, OPTIONS\)/);
    const hdr = await get({ origin: "https://site.example", "access-control-request-method": "GET", "access-control-request-headers": "range, x-secret" }, "OPTIONS");
    assert.equal(hdr.status, 403);
    assert.match(Buffer.from(hdr.body).toString(), /request header x-secret is not allowed/);
    assert.equal((await get({ origin: "https://site.example", "access-control-request-method": "POST" }, "OPTIONS")).status, 403, "POST only on /receipt");
  });

  it("a standard HTTP cache (undici's cache interceptor) keeps it: the second GET never reaches the node; a revalidation is a 304", async () => {
    const cached = new Agent().compose(interceptors.cache());
    try {
      const first = await get({}, "GET", `/content/${ROOT}`, cached);
      assert.equal(first.status, 200);
      const again = await get({}, "GET", `/content/${ROOT}`, cached);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, DATA);
      assert.equal(seen.length, 1, "served from the cache");
      const revalidated = await get({ "cache-control": "no-cache" }, "GET", `/content/${ROOT}`, cached);
      assert.equal(seen.length, 2);
      assert.equal(seen[1]["if-none-match"], `"${ROOT}"`, "the cache revalidated with the ETag");
      assert.equal(revalidated.status, 200);
      assert.deepEqual(revalidated.body, DATA, "the 304 let the cache answer with its copy");
      assert.equal(log.reads, 1, "only the first GET read the content");
    } finally {
      await cached.close();
    }
  });

  it("readRange failing at once: nothing sent, the caller answers; failing midway: the connection is cut, never a short 200", async () => {
    served = { ...served, failAt: 0 };
    const r = await get();
    assert.equal(r.status, 404);
    assert.match(Buffer.from(r.body).toString(), /disk gone/);
    served = { ...served, failAt: PIECE * 2 };
    await assert.rejects(get(), /other side closed|terminated|aborted|socket/i);
  });

  it("a client going away mid-body stops the reading (backpressure: the node reads no further than the socket takes)", async () => {
    const big = new Uint8Array(256 * 1024 * 1024);
    served = { size: big.length, root: ROOT, mediaType: "", data: big };
    const r = await request(`${url}/content/${ROOT}`, { dispatcher: agent });
    let received = 0;
    for await (const chunk of r.body) {
      received += (chunk as Buffer).length;
      if (received > 1024 * 1024) break;
    }
    await until(() => log.closed === 1);
    assert.ok(log.bytes < 64 * 1024 * 1024, `read ${log.bytes} bytes of 256 MiB for a client that took ${received}`);
  });
});

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setImmediate(r));
  }
}
