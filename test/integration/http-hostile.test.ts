import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AgentMetrics, startMetricsHttp, type StatusSource } from "../../app/agent/metrics.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { manifestToJson } from "../../client/content/manifest.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { Router, startRoutingHttp } from "../../workers/routing/index.ts";
import { rawRequest } from "../support/raw-http.ts";

/** Request targets Node's parser lets through but the WHATWG URL parser refuses. */
const MALFORMED_TARGETS = ["//[", "http://[::1", "//[/health", "http://[::1/health?x=1", "http://a:99999/", "//a@[/x", "//s%zt/health"];

const raw = (method: string, target: string, extra = "") => `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;

async function expectBadTarget(url: string, method: string, target: string) {
  const r = await rawRequest(url, raw(method, target), { head: method === "HEAD" });
  const label = `${method} ${target}`;
  assert.equal(r.timedOut, false, `${label}: no answer`);
  assert.equal(r.malformed, undefined, `${label}: ${r.malformed}`);
  assert.equal(r.responses.length, 1, `${label}: ${r.raw.toString("latin1")}`);
  assert.equal(r.responses[0].status, 400, `${label}: ${r.raw.toString("latin1")}`);
  return r.responses[0];
}

describe("hostile input: malformed request targets are a 400, never a 500 (raw requests to real servers on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-hostile-"));
  let dts: Awaited<ReturnType<typeof startDtsHttp>>;
  let metrics: Awaited<ReturnType<typeof startMetricsHttp>>;
  let routing: Awaited<ReturnType<typeof startRoutingHttp>>;
  let statusFails = false;
  const source: StatusSource = {
    status: async () => {
      if (statusFails) throw new Error("status source broke");
      return { height: 7n, ok: true };
    },
    healthy: async () => ({ ok: true, checks: { chain: "ok" } }),
  };
  const router = new Router({ probe: async () => "alive" });
  before(async () => {
    dts = await startDtsHttp(new DtsService(new Blockstore(dir)));
    metrics = await startMetricsHttp(new AgentMetrics(), source, "127.0.0.1:0");
    routing = await startRoutingHttp(router);
  });
  after(async () => {
    await dts?.close();
    await metrics?.close();
    await routing?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("PeerDTS answers 400 with a plain-text reason, for every method, and keeps serving", async () => {
    for (const target of MALFORMED_TARGETS) {
      for (const method of ["GET", "HEAD", "POST", "PUT", "DELETE"]) {
        const res = await expectBadTarget(dts.url, method, target);
        assert.match(res.headers["content-type"], /^text\/plain/);
        if (method !== "HEAD") assert.match(res.body.toString(), /request target/);
      }
    }
    assert.equal((await fetch(`${dts.url}/health`)).status, 200);
  });

  it("the agent's metrics server answers 400 with a plain-text reason; a failing status source is still a 500", async () => {
    for (const target of MALFORMED_TARGETS) {
      for (const method of ["GET", "HEAD"]) {
        const res = await expectBadTarget(metrics.url, method, target);
        assert.match(res.headers["content-type"], /^text\/plain/);
        if (method !== "HEAD") assert.match(res.body.toString(), /request target/);
      }
    }
    assert.equal((await fetch(`${metrics.url}/health`)).status, 200);
    assert.deepEqual(await (await fetch(`${metrics.url}/status`)).json(), { height: "7", ok: true });
    statusFails = true;
    const broken = await fetch(`${metrics.url}/status`);
    assert.equal(broken.status, 500, "a real internal failure stays a 500");
    assert.match(await broken.text(), /status source broke/);
    statusFails = false;
  });

  it("routing answers 400 { code: invalid_request, message } in its JSON style; a failing router is still a 500", async () => {
    for (const target of MALFORMED_TARGETS) {
      for (const method of ["GET", "POST"]) {
        const res = await expectBadTarget(routing.url, method, target);
        assert.match(res.headers["content-type"], /^application\/json/);
        const body = JSON.parse(res.body.toString());
        assert.equal(body.code, "invalid_request");
        assert.match(body.message, /request target/);
      }
    }
    assert.equal((await fetch(`${routing.url}/health`)).status, 200);
    const health = router.health;
    router.health = () => {
      throw new Error("table broke");
    };
    try {
      const r = await fetch(`${routing.url}/health`);
      assert.equal(r.status, 500);
      assert.deepEqual(await r.json(), { code: "internal", message: "table broke" });
    } finally {
      router.health = health;
    }
  });
});

describe("hostile input: PUT /content/<root> of a content the node already holds is read and verified, not waved through", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-hostile-put-"));
  const chunkSize = 1024;
  const held = chunkContent(new Uint8Array(randomBytes(5_000)), chunkSize);
  const heldData = Buffer.concat(held.chunks);
  const fresh = chunkContent(new Uint8Array(randomBytes(3_000)), chunkSize);
  const freshData = Buffer.concat(fresh.chunks);
  const unassigned = chunkContent(new Uint8Array(randomBytes(2_000)), chunkSize);
  const store = new Blockstore(dir);
  /** what the chain assigns this node (its upload policy) */
  const assigned = new Map<string, { size: number; chunkSize: number }>([
    [held.content.root, { size: held.content.size, chunkSize }],
    [fresh.content.root, { size: fresh.content.size, chunkSize }],
  ]);
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  before(async () => {
    store.put(held.content, held.chunks);
    store.put(unassigned.content, unassigned.chunks);
    server = await startDtsHttp(new DtsService(store, { uploads: async (root) => assigned.get(root) }));
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const put = async (root: string, body: Uint8Array) => {
    const r = await fetch(`${server.url}/content/${root}`, { method: "PUT", body });
    return { status: r.status, text: await r.text() };
  };
  const heldIntact = async () => {
    const r = await fetch(`${server.url}/content/${held.content.root}`);
    assert.equal(r.status, 200);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(heldData), "the held content is served byte-identical");
    assert.deepEqual(store.manifest(held.content.root), manifestToJson(held.content));
    for (let i = 0; i < held.chunks.length; i++) assert.ok(Buffer.from(store.chunk(held.content.root, i)).equals(Buffer.from(held.chunks[i])));
  };

  it("refuses a wrong body for a held root with the codes a wrong new upload gets (413 too long, 422 garbage/short/empty) and keeps the copy intact", async () => {
    const garbage = new Uint8Array(randomBytes(heldData.length));
    const cases: Array<[string, Uint8Array, number]> = [
      ["garbage of the right length", garbage, 422],
      ["one byte too long", Buffer.concat([heldData, Buffer.from([0])]), 413],
      ["twice as long", Buffer.concat([heldData, heldData]), 413],
      ["one byte short", heldData.subarray(0, heldData.length - 1), 422],
      ["empty", new Uint8Array(0), 422],
      ["one flipped byte", Buffer.from(heldData.map((b, i) => (i === 4321 ? b ^ 1 : b))), 422],
    ];
    for (const [label, body, status] of cases) {
      const r = await put(held.content.root, body);
      assert.equal(r.status, status, `${label}: ${r.status} ${r.text}`);
      await heldIntact();
    }
    // the same wrong bodies for a content not held yet get the same answers, and store nothing
    assert.equal((await put(fresh.content.root, new Uint8Array(randomBytes(freshData.length)))).status, 422);
    assert.equal((await put(fresh.content.root, Buffer.concat([freshData, Buffer.from([1])]))).status, 413);
    assert.equal((await put(fresh.content.root, new Uint8Array(0))).status, 422);
    assert.equal(store.has(fresh.content.root), false);
  });

  it("a valid re-upload of a held root is 200 already held; a new one is 201 stored; both then serve byte-identical", async () => {
    const again = await put(held.content.root, heldData);
    assert.equal(again.status, 200, again.text);
    assert.match(again.text, /already held/);
    await heldIntact();
    const stored = await put(fresh.content.root, freshData);
    assert.equal(stored.status, 201, stored.text);
    assert.match(stored.text, /stored/);
    const r = await fetch(`${server.url}/content/${fresh.content.root}`);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(freshData));
    const twice = await put(fresh.content.root, freshData);
    assert.equal(twice.status, 200, "a second upload of what was just stored is already held");
  });

  it("checks the chain's assignment before reading: a held root the chain does not assign here is a 403", async () => {
    const r = await put(unassigned.content.root, Buffer.concat(unassigned.chunks));
    assert.equal(r.status, 403, r.text);
    assert.ok(store.has(unassigned.content.root));
  });

  it("does not answer before a trickling body has fully arrived, and refuses a body that lies about its length", async () => {
    const head = `PUT /content/${held.content.root} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${heldData.length}\r\nConnection: close\r\n\r\n`;
    const half = heldData.subarray(0, 2_000);
    // keeps the connection open with only part of the body: no answer may come yet
    const pending = rawRequest(server.url, Buffer.concat([Buffer.from(head), half]), { end: false, timeoutMs: 400 });
    const early = await pending;
    assert.equal(early.timedOut, true, `answered before the body arrived: ${early.raw.toString("latin1")}`);
    assert.equal(early.raw.length, 0);

    // the whole body, sent in slices with pauses: answered only at the end, 200 already held
    const port = Number(new URL(server.url).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      let got = "";
      let sentAll = false;
      s.setTimeout(5_000, () => reject(new Error("no answer")));
      s.on("data", (d) => {
        if (!sentAll) reject(new Error(`answered before the body was complete: ${d}`));
        got += d;
      });
      s.on("close", () => resolve(got));
      s.on("error", reject);
      (async () => {
        s.write(head);
        for (let off = 0; off < heldData.length; off += 1_500) {
          if (off + 1_500 >= heldData.length) sentAll = true;
          s.write(heldData.subarray(off, off + 1_500));
          await sleep(50);
        }
      })().catch(reject);
    });
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /already held/);

    // a Content-Length larger than what the chain records is refused up front
    const tooLong = `PUT /content/${held.content.root} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${heldData.length * 1000}\r\nConnection: close\r\n\r\n`;
    const refused = await rawRequest(server.url, Buffer.concat([Buffer.from(tooLong), half]), { end: false, timeoutMs: 2_000 });
    assert.equal(refused.timedOut, false, "a body announced larger than the content is refused without waiting for it");
    assert.equal(refused.responses[0]?.status, 413, refused.raw.toString("latin1"));
    await heldIntact();
  });
});
