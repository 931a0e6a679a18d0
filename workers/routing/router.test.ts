import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Agent, request } from "undici";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";
import { signLoadReport } from "./load-report.ts";
import { signLatencyReport } from "../../client/latency-report.ts";
import { identityFromKey, type NodeIdentity } from "../dts/challenge.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { startDtsHttp } from "../dts/http-server.ts";
import { serveDtsOverLibp2p } from "../dts/p2p-server.ts";
import { DtsService, type DtsFaults } from "../dts/service.ts";
import { createAroHost, type AroHost } from "../p2p/host.ts";
import { NodeTable, nodeProbe, Router, startRoutingHttp, type NodeInput } from "./index.ts";

const root = (i: number) => i.toString(16).padStart(64, "0");
const node = (id: number, region: string, extra: Partial<NodeInput> = {}): NodeInput => ({
  nodeId: String(id),
  peerId: `12D3KooWpeer${id}`,
  region,
  httpUrl: `http://10.0.0.${id}:8080`,
  multiaddrs: [`/ip4/10.0.0.${id}/tcp/4001`],
  ...extra,
});
const ids = (t: NodeTable, content: string, region: string, n: number, now = 0) => t.best(content, region, n, now).map((r) => r.node.nodeId);

describe("PeerRouting: node table, ranking, failures and fallback", () => {
  it("prefers low latency, low load, a good chain score and the client's region", () => {
    const t = new NodeTable();
    for (let i = 1; i <= 4; i++) t.upsertNode(node(i, "europe"));
    for (let i = 1; i <= 4; i++) t.addHolder(root(1), String(i), "chain");
    t.recordLatency("1", "europe", 80);
    t.recordLatency("2", "europe", 5);
    assert.deepEqual(ids(t, root(1), "europe", 2), ["2", "3"], "measured 5 ms beats the 20 ms default, which beats 80 ms");
    const top = t.best(root(1), "europe", 1, 0)[0];
    assert.equal(top.breakdown.latencyMeasured, true);
    assert.equal(top.breakdown.latencyMs, 5);
    assert.ok(Math.abs(top.score - (top.breakdown.latency + top.breakdown.load + top.breakdown.chain + top.breakdown.sameRegion)) < 1e-12);

    t.reportLoad("2", 0.95, 0);
    t.reportLoad("3", 0.1, 0);
    t.reportLoad("4", 0.6, 0);
    assert.equal(ids(t, root(1), "europe", 1)[0], "3", "a busy node loses to an idle one at similar latency");
    t.upsertNode(node(3, "europe", { chainScore: 0.1 }));
    t.reportLoad("4", 0.1, 0);
    assert.equal(ids(t, root(1), "europe", 1)[0], "4", "a poor chain score loses to a good one");

    t.upsertNode(node(10, "asia"));
    t.upsertNode(node(11, "europe"));
    t.addHolder(root(2), "10", "dht");
    t.addHolder(root(2), "11", "dht");
    const r = t.best(root(2), "asia", 2, 0);
    assert.deepEqual(r.map((x) => x.node.nodeId), ["10", "11"], "same region wins when latency is unknown");
    assert.ok(r[0].breakdown.sameRegion > 0 && r[1].breakdown.sameRegion === 0);
    assert.equal(r[1].breakdown.latencyMs, 150);
  });

  it("ranks every live holder above non-holders and fills up with holds=false", () => {
    const t = new NodeTable();
    t.upsertNode(node(1, "asia"));
    for (let i = 2; i <= 5; i++) t.upsertNode(node(i, "europe"));
    t.addHolder(root(7), "1", "dht");
    const r = t.best(root(7), "europe", 3, 0);
    assert.deepEqual(r.map((x) => [x.node.nodeId, x.holds]), [["1", true], ["2", false], ["3", false]]);
    assert.ok(r[1].score > r[0].score, "the far holder is listed first although a near non-holder scores higher");
  });

  it("keeps a holder while any source still claims it", () => {
    const t = new NodeTable();
    t.upsertNode(node(1, "asia"));
    t.addHolder(root(3), "1", "chain");
    t.addHolder(root(3), "1", "dht");
    t.removeHolder(root(3), "1", "dht");
    assert.deepEqual(t.sourcesOf(root(3), "1"), ["chain"]);
    assert.ok(t.holds(root(3), "1"));
    t.removeHolder(root(3), "1", "chain");
    assert.ok(!t.holds(root(3), "1"));
    assert.equal(t.holders.size, 0);
  });

  it("excludes a failed node until it is marked alive or reports load after its back-off", () => {
    const t = new NodeTable({ backoffMs: 1_000 });
    for (let i = 1; i <= 3; i++) t.upsertNode(node(i, "europe"));
    for (let i = 1; i <= 3; i++) t.addHolder(root(1), String(i), "chain");
    t.recordLatency("1", "europe", 1);
    assert.equal(ids(t, root(1), "europe", 1)[0], "1");
    t.markFailed("1", 10_000);
    assert.ok(!ids(t, root(1), "europe", 3, 10_000).includes("1"));
    assert.equal(t.liveCount, 2);
    t.markFailed("1", 10_100); // the same incident reported again does not lengthen the back-off
    t.reportLoad("1", 0.1, 10_500);
    assert.ok(!ids(t, root(1), "europe", 3, 10_500).includes("1"), "a report inside the back-off does not revive it");
    t.reportLoad("1", 0.1, 11_000);
    assert.equal(ids(t, root(1), "europe", 1, 11_000)[0], "1", "back after the back-off");

    t.markFailed("1", 20_000); // second failure: the back-off doubles to 2 s
    t.reportLoad("1", 0.1, 21_500);
    assert.ok(!ids(t, root(1), "europe", 3, 21_500).includes("1"));
    t.reportLoad("1", 0.1, 22_000);
    assert.ok(ids(t, root(1), "europe", 3, 22_000).includes("1"));

    t.markFailed("1", 30_000);
    t.markAlive("1", 30_001);
    assert.equal(ids(t, root(1), "europe", 1, 30_001)[0], "1");
    assert.equal(t.nodes.get("1")?.failures, 0);
  });

  it("answers the best live nodes of the region, flagged holds=false, when no live node holds the content", () => {
    const t = new NodeTable();
    for (let i = 1; i <= 3; i++) t.upsertNode(node(i, "europe"));
    for (let i = 4; i <= 6; i++) t.upsertNode(node(i, "asia"));
    t.reportLoad("2", 0.9, 0);
    const r = t.best(root(99), "europe", 4, 0);
    assert.equal(r.length, 4);
    assert.ok(r.every((x) => !x.holds));
    assert.deepEqual(r.slice(0, 3).map((x) => x.node.region), ["europe", "europe", "europe"]);
    assert.equal(r[2].node.nodeId, "2", "the loaded one last among the region's");
    assert.equal(r[3].node.region, "asia", "then the nearest other region");

    t.addHolder(root(5), "1", "chain");
    t.markFailed("1", 100);
    const f = t.best(root(5), "europe", 2, 100);
    assert.ok(f.every((x) => !x.holds && x.node.nodeId !== "1"), "its only holder is down: fall back");
    assert.deepEqual(t.best(root(5), "oceania", 2, 100).map((x) => x.holds), [false, false], "a region with no nodes still gets the nearest");
  });

  it("decides in well under a millisecond with 10,000 nodes known", () => {
    let s = 42;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const t = new NodeTable();
    const regions = Array.from({ length: 10 }, (_, i) => `r${i}`);
    for (let i = 0; i < 10_000; i++) t.upsertNode(node(i, regions[i % 10], { load: rnd() }));
    for (let c = 0; c < 20_000; c++) for (let k = 0; k < 3; k++) t.addHolder(root(c), String(Math.floor(rnd() * 10_000)), "chain");
    // CPU time of each decision (process.cpuUsage), best of three rounds: on a busy
    // machine wall time also counts the time other processes hold the core
    const rounds: number[] = [];
    for (let round = 0; round < 3 && !(rounds.length && Math.min(...rounds) < 1_000); round++) {
      const times: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const c = root(Math.floor(rnd() * 22_000)); // ~10% unknown: the fallback path
        const t0 = process.cpuUsage();
        t.best(c, regions[i % 10], 5, i);
        const d = process.cpuUsage(t0);
        times.push(d.user + d.system);
      }
      times.sort((a, b) => a - b);
      rounds.push(times[Math.floor(times.length * 0.99)]);
    }
    const p99 = Math.min(...rounds);
    assert.ok(p99 < 1_000, `p99 CPU time ${rounds.map((r) => r.toFixed(1)).join(", ")} µs`);
  });
});

describe("PeerRouting: demand EWMAs and pre-emptive placement", () => {
  const shortHalfLifeMs = 10_000;
  const longHalfLifeMs = 300_000;
  const setup = (capacity = 100) => {
    const router = new Router({ demand: { shortHalfLifeMs, longHalfLifeMs, minRate: 0.5, riseRatio: 3, targetReplicas: 2, capacity } });
    for (let i = 1; i <= 4; i++) router.table.upsertNode(node(i, "europe"));
    for (let i = 5; i <= 6; i++) router.table.upsertNode(node(i, "asia"));
    return router;
  };
  /** Requests at `rate(t)` per second, evenly spaced, from t0 for ms. */
  const drive = (router: Router, content: string, region: string, t0: number, ms: number, rate: (t: number) => number) => {
    let t = t0;
    while (t < t0 + ms) {
      router.demand.record(content, region, t);
      t += 1000 / rate(t - t0);
    }
  };

  it("reads a steady rate on both EWMAs and decays them with time", () => {
    const router = setup();
    drive(router, root(1), "europe", 0, 3_000_000, () => 2);
    const r = router.demand.rates(root(1), "europe", 3_000_000);
    assert.ok(Math.abs(r.short - 2) < 0.15 && Math.abs(r.long - 2) < 0.15, JSON.stringify(r));
    const later = router.demand.rates(root(1), "europe", 3_000_000 + shortHalfLifeMs);
    assert.ok(Math.abs(later.short - r.short / 2) < 1e-9 && later.long > r.long * 0.97);
  });

  it("plans a ramping content onto the region's best non-holders before its peak, and not a steady cold one", () => {
    const router = setup();
    router.table.addHolder(root(1), "1", "chain");
    router.table.reportLoad("4", 0.9, 0);
    drive(router, root(2), "europe", 0, 1_200_000, () => 0.2); // steady and cold
    drive(router, root(3), "europe", 0, 1_200_000, () => 4); // steady and warm: not rising
    drive(router, root(1), "europe", 1_170_000, 30_000, (t) => 0.1 + t / 1500); // ramping to 20/s
    const plan = router.prefetchPlan(1_200_000);
    assert.deepEqual(plan.map((p) => p.content), [root(1)]);
    const [p] = plan;
    assert.equal(p.region, "europe");
    assert.ok(p.rates.short > 3 * p.rates.long, JSON.stringify(p.rates));
    assert.deepEqual(p.nodeIds, ["2"], "one more replica (target 2) on the best non-holder, not the loaded one");
    assert.deepEqual(router.prefetchPlan(1_200_500), [], "already placed: not planned again");
    assert.deepEqual(router.prefetchFor("2", 1_200_500).prefetch, [root(1)]);
    router.table.addHolder(root(1), "2", "dht"); // node 2 fetched it and announced it
    assert.deepEqual(router.prefetchFor("2", 1_201_000).prefetch, []);
  });

  it("grows the replica count with the rate and withdraws unconfirmed placements after their TTL", () => {
    const router = new Router({ demand: { ratePerReplica: 1.5, pendingTtlMs: 60_000 } });
    for (let i = 1; i <= 5; i++) router.table.upsertNode(node(i, "europe"));
    drive(router, root(1), "europe", 0, 20_000, (t) => 1 + t / 1000); // to 21/s
    const [p] = router.prefetchPlan(20_000);
    assert.ok(Math.ceil(p.rates.short / 1.5) > 5);
    assert.equal(p.nodeIds.length, 5, `ceil(${p.rates.short.toFixed(1)}/1.5) replicas, capped by the 5 nodes there`);
    router.table.addHolder(root(1), "1", "dht");
    router.prefetchPlan(80_000);
    assert.deepEqual([...(router.demand.placement.nodesWith(root(1)) ?? [])], ["1"], "only the confirmed placement survives");
  });

  it("bounds placement per node, evicting the coldest placed content", () => {
    const router = new Router({ demand: { capacity: 2, targetReplicas: 1 } });
    router.table.upsertNode(node(1, "europe"));
    drive(router, root(1), "europe", 0, 20_000, () => 2);
    drive(router, root(2), "europe", 0, 20_000, () => 6);
    assert.equal(router.prefetchPlan(20_000).length, 2);
    drive(router, root(3), "europe", 20_000, 20_000, () => 10);
    drive(router, root(2), "europe", 20_000, 20_000, () => 6);
    const plan = router.prefetchPlan(40_000);
    assert.deepEqual(plan.map((p) => [p.content, p.evictions]), [[root(3), [{ nodeId: "1", content: root(1) }]]]);
    assert.equal(router.demand.placement.count("1"), 2);
    assert.deepEqual(router.prefetchFor("1", 40_000).evict, [root(1)]);
    assert.deepEqual(router.prefetchFor("1", 40_000).evict, [], "each eviction notice is given once");
    drive(router, root(3), "europe", 40_000, 10_000, () => 10);
    drive(router, root(2), "europe", 40_000, 10_000, () => 6);
    drive(router, root(4), "europe", 40_000, 10_000, () => 1.5); // rising, but colder than everything placed
    assert.ok(router.demand.rates(root(4), "europe", 50_000).short > 0.5);
    assert.deepEqual(router.prefetchPlan(50_000), []);
    assert.ok(router.demand.placement.has("1", root(2)) && router.demand.placement.has("1", root(3)));
  });
});

describe("PeerRouting: HTTP API (real server on 127.0.0.1)", () => {
  let clock = 1_000_000;
  // the probe behind /failed is exercised against real nodes in its own suite below
  const router = new Router({ table: { backoffMs: 1_000 }, probe: async (n) => (n.nodeId === "2" ? "failed" : "alive") });
  for (let i = 1; i <= 3; i++) router.table.upsertNode(node(i, "europe"));
  router.table.upsertNode(node(4, "asia"));
  router.table.addHolder(root(1), "1", "chain");
  router.table.addHolder(root(1), "2", "dht");
  let server: Awaited<ReturnType<typeof startRoutingHttp>>;
  // each node signs its load reports with the libp2p key of the peer id routing knows for it
  const keys = new Map<string, Awaited<ReturnType<typeof generateKeyPair>>>();
  let customer: ReceiptSigner;
  let seq = clock;
  const signedLoad = async (nodeId: string, load: number) => signLoadReport((m) => keys.get(nodeId)!.sign(m), nodeId, load, ++seq);
  const signedLatency = async (nodeId: string, region: string, ms: number) => signLatencyReport(customer, nodeId, region, ms, ++seq);
  before(async () => {
    for (let i = 1; i <= 4; i++) {
      const key = await generateKeyPair("Ed25519");
      keys.set(String(i), key);
      router.table.upsertNode(node(i, i === 4 ? "asia" : "europe", { peerId: peerIdFromPrivateKey(key).toString() }));
    }
    customer = await ReceiptSigner.fromPrivateKey(new Uint8Array(randomBytes(32)));
    server = await startRoutingHttp(router, { now: () => clock, hasEscrow: async (a) => a === customer.address });
  });
  after(async () => {
    await server?.close();
  });
  const get = async (path: string) => {
    const r = await request(server.url + path);
    return { status: r.statusCode, body: (await r.body.json()) as any };
  };
  const post = async (path: string, body: unknown) => {
    const r = await request(server.url + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } });
    return { status: r.statusCode, body: (await r.body.json()) as any };
  };

  it("routes to holders with addresses and a score breakdown, and records the demand", async () => {
    const r = await get(`/route?content=${root(1)}&region=europe&n=3`);
    assert.equal(r.status, 200);
    assert.equal(r.body.holds, true);
    assert.deepEqual(r.body.nodes.map((x: any) => [x.nodeId, x.holds]), [["1", true], ["2", true], ["3", false]]);
    const n = r.body.nodes[0];
    assert.equal(n.httpUrl, "http://10.0.0.1:8080");
    assert.deepEqual(n.multiaddrs, ["/ip4/10.0.0.1/tcp/4001"]);
    assert.equal(n.peerId, peerIdFromPrivateKey(keys.get("1")!).toString());
    assert.deepEqual(Object.keys(n.breakdown).sort(), ["chain", "latency", "latencyMeasured", "latencyMs", "load", "sameRegion"]);
    assert.ok(router.demand.rates(root(1), "europe", clock).short > 0);
    const unknown = await get(`/route?content=${root(2).toUpperCase()}&region=europe`);
    assert.equal(unknown.body.holds, false);
    assert.equal(unknown.body.nodes.length, 3, "n defaults to 3");
  });

  it("takes load, latency and failure reports", async () => {
    assert.deepEqual((await post("/latency", await signedLatency("2", "europe", 2))).body, { ok: true });
    assert.equal((await post("/report", await signedLoad("1", 0.99))).status, 200);
    assert.equal((await get(`/route?content=${root(1)}&region=europe&n=1`)).body.nodes[0].nodeId, "2");
    assert.deepEqual((await post("/failed", { nodeId: "1", content: root(1) })).body, { ok: true, outcome: "alive" });
    assert.deepEqual((await post("/failed", { nodeId: "2" })).body, { ok: true, outcome: "excluded" });
    assert.equal((await get(`/route?content=${root(1)}&region=europe&n=1`)).body.nodes[0].nodeId, "1");
    clock += 1_000;
    seq = Math.max(seq, clock);
    assert.equal((await post("/report", await signedLoad("2", 0.1))).status, 200);
    assert.equal((await get(`/route?content=${root(1)}&region=europe&n=1`)).body.nodes[0].nodeId, "2", "back after its back-off");
    const h = await get("/health");
    assert.deepEqual(h.body, { ok: true, nodes: 4, liveNodes: 4, contents: 1, trackedDemand: 2 });
  });

  it("tells a node what to prefetch", async () => {
    // a surge from 40 distinct clients (127.0.0.10-49): one client alone cannot make a content hot
    for (let i = 0; i < 40; i++) {
      clock += 100;
      const dispatcher = new Agent({ localAddress: `127.0.0.${10 + i}` });
      const r = await request(server.url + `/route?content=${root(9)}&region=europe&n=1`, { dispatcher });
      await r.body.dump();
      await dispatcher.close();
    }
    clock += 1_000;
    const p = await get("/prefetch?node=2");
    assert.equal(p.status, 200);
    assert.deepEqual(p.body, { nodeId: "2", prefetch: [root(9)], evict: [] });
    assert.deepEqual((await get("/prefetch?node=3")).body.prefetch, [root(9)]);
    assert.deepEqual((await get("/prefetch?node=1")).body.prefetch, [], "node 1 is nearly saturated: not chosen");
  });

  it("rejects bad input with 400 and a JSON error", async () => {
    const cases: Array<[Promise<{ status: number; body: any }>, number, string]> = [
      [get(`/route?content=${"g".repeat(64)}&region=europe`), 400, "invalid_content"],
      [get(`/route?content=${root(1).slice(1)}&region=europe`), 400, "invalid_content"],
      [get(`/route?region=europe`), 400, "invalid_content"],
      [get(`/route?content=${root(1)}&region=Europe!`), 400, "invalid_region"],
      [get(`/route?content=${root(1)}`), 400, "invalid_region"],
      [get(`/route?content=${root(1)}&region=europe&n=0`), 400, "invalid_n"],
      [get(`/route?content=${root(1)}&region=europe&n=51`), 400, "invalid_n"],
      [get(`/route?content=${root(1)}&region=europe&n=2.5`), 400, "invalid_n"],
      [get(`/prefetch?node=abc`), 400, "invalid_node"],
      [post("/report", "{not json"), 400, "bad_json"],
      [post("/report", "[1]"), 400, "bad_json"],
      [post("/report", { nodeId: 1, load: 0.5 }), 400, "invalid_node"],
      [post("/report", { nodeId: "1", load: 1.5 }), 400, "invalid_load"],
      [post("/report", { nodeId: "1", load: "0.5" }), 400, "invalid_load"],
      [post("/latency", { nodeId: "1", region: "europe", ms: -1 }), 400, "invalid_latency"],
      [post("/latency", { nodeId: "1", region: "x", ms: 5 }), 400, "invalid_region"],
      [post("/failed", {}), 400, "invalid_node"],
      [post("/failed", { nodeId: "1", content: "abc" }), 400, "invalid_content"],
      [post("/failed", { nodeId: "777" }), 404, "unknown_node"],
      [post("/route", {}), 405, "method_not_allowed"],
      [get("/nope"), 404, "not_found"],
    ];
    for (const [res, status, code] of cases) {
      const r = await res;
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.code, code);
      assert.equal(typeof r.body.message, "string");
    }
  });
});

describe("PeerRouting: a failure report is probed before it is believed (real PeerDTS nodes on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-routing-probe-"));
  const { content, chunks } = chunkContent(new Uint8Array(randomBytes(40_000)), 4096);
  const servers: Array<{ url: string; close(): Promise<void> }> = [];
  let served = 0;
  let clock = 5_000_000;
  const router = new Router({ table: { backoffMs: 60_000 }, failureChecks: { recheckMs: 10_000 } });
  const now = () => clock;
  before(async () => {
    const newIdentity = async (): Promise<NodeIdentity> => {
      const key = await generateKeyPair("Ed25519");
      return identityFromKey(key, peerIdFromPrivateKey(key).toString());
    };
    /** a PeerDTS server holding the content; registered as the peer whose key it signs with (or `registeredAs`) */
    const start = async (id: number, name: string, o: { faults?: DtsFaults; registeredAs?: string } = {}) => {
      const store = new Blockstore(path.join(dir, name));
      store.put(content, chunks);
      const identity = await newIdentity();
      const s = await startDtsHttp(new DtsService(store, { faults: o.faults, identity, onServed: () => void served++ }));
      servers.push(s);
      router.table.upsertNode(node(id, "europe", { httpUrl: s.url, peerId: o.registeredAs ?? identity.peerId }));
    };
    await start(1, "honest");
    await start(2, "corrupt", { faults: { corruptChunks: true } });
    const dead = await startDtsHttp(new DtsService(new Blockstore(path.join(dir, "dead"))));
    await dead.close();
    router.table.upsertNode(node(3, "europe", { httpUrl: dead.url }));
    router.table.upsertNode(node(4, "europe", { httpUrl: undefined, multiaddrs: [] }));
    // serves the content correctly, but is not the peer registered at that URL
    await start(8, "impostor", { registeredAs: (await newIdentity()).peerId });
    for (const i of [1, 2, 3, 4, 8]) router.table.addHolder(content.root, String(i), "chain");
  });
  after(async () => {
    for (const s of servers) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const routed = () => ids(router.table, content.root, "europe", 4, clock);

  it("keeps an honest node that passes, and does not probe it again soon after", async () => {
    assert.equal(await router.reportFailed("1", content.root, now), "alive");
    assert.equal(served, 1, "the probe fetched one chunk and checked it");
    const reports = await Promise.all(Array.from({ length: 20 }, () => router.reportFailed("1", content.root, now)));
    assert.ok(reports.every((r) => r === "recently-alive"), JSON.stringify(reports));
    assert.equal(served, 1, "a flood of reports costs no further probe");
    clock += 10_000;
    assert.equal(await router.reportFailed("1", undefined, now), "alive", "probed again once recheckMs has passed (liveness only without a content)");
    assert.ok(routed().includes("1"));
  });

  it("leaves out a node that serves a corrupt chunk or does not answer", async () => {
    assert.equal(await router.reportFailed("2", content.root, now), "excluded");
    assert.equal(await router.reportFailed("3", content.root, now), "excluded");
    assert.equal(await router.reportFailed("3", content.root, now), "already-down");
    assert.deepEqual(routed().slice(0, 3).sort(), ["1", "4", "8"]);
  });

  it("leaves out a server at the node's URL that cannot sign the challenge as the registered peer, though its data is good", async () => {
    const before = served;
    assert.equal(await router.reportFailed("8", content.root, now), "excluded");
    assert.equal(served, before, "no chunk was asked of it once the challenge failed");
    assert.ok(!routed().includes("8"));
  });

  it("over libp2p for a node with no HTTP endpoint: the signed challenge, then the chunk check over the PeerDTS probe protocol", async () => {
    const hosts: AroHost[] = [];
    try {
      const serve = async (faults?: DtsFaults) => {
        const key = await generateKeyPair("Ed25519");
        const h = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"], privateKey: key });
        hosts.push(h);
        const store = new Blockstore(path.join(dir, `p2p-${hosts.length}`));
        store.put(content, chunks);
        await serveDtsOverLibp2p(h, new DtsService(store, { faults, identity: identityFromKey(key, h.peerId.toString()) }));
        return { peerId: h.peerId.toString(), multiaddrs: h.getMultiaddrs().map((a) => a.decapsulate("/p2p").toString()), httpUrl: undefined };
      };
      const client = await createAroHost({ listen: [] });
      hosts.push(client);
      const p2pRouter = new Router({ probe: nodeProbe({ timeoutMs: 3_000, host: client }) });
      p2pRouter.table.upsertNode(node(5, "europe", await serve()));
      p2pRouter.table.upsertNode(node(6, "europe", await serve({ corruptChunks: true })));
      const gone = await serve();
      await hosts.at(-1)!.stop();
      p2pRouter.table.upsertNode(node(7, "europe", gone));
      assert.equal(await p2pRouter.reportFailed("5", content.root, now), "alive");
      assert.equal(await p2pRouter.reportFailed("6", undefined, now), "alive", "without a content only the challenge is asked for");
      clock += 10_000;
      assert.equal(await p2pRouter.reportFailed("6", content.root, now), "excluded");
      assert.equal(await p2pRouter.reportFailed("7", content.root, now), "excluded");
    } finally {
      for (const h of hosts) await h.stop();
    }
  });

  it("keeps a node it cannot probe, and knows no unknown one", async () => {
    assert.equal(await router.reportFailed("4", content.root, now), "unverifiable");
    assert.ok(routed().includes("4"));
    assert.equal(await router.reportFailed("99", undefined, now), "unknown-node");
  });
});
