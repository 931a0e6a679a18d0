import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BodyTooLargeError, getBytes } from "./http-get.ts";

describe("PeerDTS: getBytes, a whole body through undici's handler API (real server on 127.0.0.1)", () => {
  const body = Buffer.from("0123456789".repeat(10_000));
  let server: http.Server;
  let base = "";
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/sized") return void res.writeHead(200, { "content-length": body.length }).end(body);
      if (req.url === "/chunked") {
        // no content-length: the limit can only be applied while the body arrives
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write(body.subarray(i * 10_000, (i + 1) * 10_000));
        return void res.end();
      }
      if (req.url === "/hang") return void res.writeHead(200).write("x"); // never ends
      res.writeHead(404).end("nothing here\n");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("returns the status and the exact body, sized or chunked, and when its first byte came", async () => {
    const t0 = performance.now();
    for (const p of ["/sized", "/chunked"]) {
      const r = await getBytes(base + p);
      assert.equal(r.status, 200);
      assert.ok(r.body.equals(body), `${p}: body differs`);
      assert.ok(r.firstByteAt >= t0 && r.firstByteAt <= performance.now());
    }
    const missing = await getBytes(base + "/nope?x=1");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.toString(), "nothing here\n");
  });

  it("refuses a body over maxBytes, by its content-length or as it arrives", async () => {
    for (const p of ["/sized", "/chunked"]) {
      await assert.rejects(getBytes(base + p, { maxBytes: 50_000 }), (e: Error) => e instanceof BodyTooLargeError && /over 50000 bytes/.test(e.message));
    }
    assert.equal((await getBytes(base + "/sized", { maxBytes: body.length })).body.length, body.length);
  });

  it("stops on abort, and reports a refused connection", async () => {
    await assert.rejects(getBytes(base + "/hang", { signal: AbortSignal.timeout(200) }), (e: Error) => e.name === "TimeoutError");
    const pre = new AbortController();
    pre.abort(new Error("gave up"));
    await assert.rejects(getBytes(base + "/sized", { signal: pre.signal }), /gave up/);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(getBytes(`http://127.0.0.1:${port}/`), (e: Error & { code?: string }) => e.code === "ECONNREFUSED");
  });
});
