import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { createLogger } from "../../../chain/logger.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { Gateway } from "../rest/gateway.ts";
import { freePort } from "../../testnet/ports.ts";
import { startConsoleServer, type ConsoleServer } from "./server.ts";

/** A raw request (no redirects, no decompression, any method and path). */
function request(url: string, method = "GET", headers: Record<string, string> = {}, rawPath?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http.request({ host: u.hostname, port: u.port, path: rawPath ?? u.pathname + u.search, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject).end();
  });
}

describe("console server: built files from memory, the REST routes on the same origin", () => {
  const log = createLogger("error", "test");
  // a real gateway with no app queries: REST paths reach it and get its JSON answers
  const gateway = new Gateway(apiRegistry(), new Set(), {}, {} as never);
  let dir: string;
  let server: ConsoleServer;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-console-build-"));
  });
  afterEach(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const build = (html: string) => {
    fs.mkdirSync(path.join(dir, "assets"), { recursive: true });
    fs.writeFileSync(path.join(dir, "assets", "index-abc.js"), "console.log('Aro console');\n".repeat(50));
    fs.writeFileSync(path.join(dir, "index.html"), html);
  };

  it("answers 503 with what to run until the console is built, then serves the build without a restart", async () => {
    server = await startConsoleServer({ address: `tcp://127.0.0.1:${await freePort()}`, gateway, dir, log });
    const before = await request(server.url + "/");
    assert.equal(before.status, 503);
    assert.match(before.body.toString(), /scripts\/build-console/);
    build("<html>first</html>");
    assert.equal((await request(server.url + "/")).body.toString(), "<html>first</html>");
    fs.writeFileSync(path.join(dir, "index.html"), "<html>second build</html>");
    fs.utimesSync(path.join(dir, "index.html"), new Date(), new Date(Date.now() + 5000));
    assert.equal((await request(server.url + "/")).body.toString(), "<html>second build</html>");
  });

  it("serves files gzipped when asked, with ETags and long caching for hashed assets; nothing outside the build", async () => {
    build("<html>console</html>");
    server = await startConsoleServer({ address: `tcp://127.0.0.1:${await freePort()}`, gateway, dir, log, minGasPrice: "0.025uaro", rpcUrl: "http://127.0.0.1:26657" });
    const index = await request(server.url + "/");
    assert.equal(index.status, 200);
    assert.match(String(index.headers["content-type"]), /text\/html/);
    assert.equal(index.headers["cache-control"], "no-cache");
    assert.match(String(index.headers["content-security-policy"]), /default-src 'self'/);
    assert.equal((await request(server.url + "/", "GET", { "if-none-match": String(index.headers.etag) })).status, 304);
    const head = await request(server.url + "/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const js = await request(server.url + "/assets/index-abc.js", "GET", { "accept-encoding": "gzip, br" });
    assert.equal(js.headers["content-encoding"], "gzip");
    assert.match(String(js.headers["cache-control"]), /max-age=31536000, immutable/);
    assert.match(zlib.gunzipSync(js.body).toString(), /Aro console/);
    assert.equal((await request(server.url + "/assets/index-abc.js")).headers["content-encoding"], undefined);
    for (const p of ["/../../etc/passwd", "/assets/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nothing.js", "//etc/passwd"]) {
      assert.equal((await request(server.url, "GET", {}, p)).status, 404, p);
    }
    assert.equal((await request(server.url + "/", "DELETE")).status, 405);
    const cfg = JSON.parse((await request(server.url + "/console-config.json")).body.toString());
    assert.deepEqual(cfg, { min_gas_price: "0.025uaro", rpc: "http://127.0.0.1:26657" });
  });

  it("hands /cosmos/ and /aro/ paths to the gateway: its error JSON, with its status", async () => {
    build("<html></html>");
    server = await startConsoleServer({ address: `tcp://127.0.0.1:${await freePort()}`, gateway, dir, log });
    const r = await request(server.url + "/aro/peernode/v1/nodes/1");
    assert.equal(r.status, 404);
    assert.deepEqual(JSON.parse(r.body.toString()), { code: 5, message: "no route /aro/peernode/v1/nodes/1", details: [] });
    const bad = await request(server.url + "/cosmos/bank/v1beta1/balances/x", "GET", { "x-cosmos-block-height": "-1" });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body.toString()).code, 3);
  });

  it("refuses a bad address with the setting's name", async () => {
    await assert.rejects(startConsoleServer({ address: "localhost", gateway, dir, log }), /console.address must be host:port/);
  });
});
