import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Secp256k1, sha256 } from "@cosmjs/crypto";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { Agent, request } from "undici";
import { addressFromBytes } from "../../chain/address.ts";
import { addressBytesOf } from "../../chain/crypto/secp256k1.ts";
import { Router, startRoutingHttp, type NodeInput, type RouterOptions, type RoutingHttpOptions } from "./index.ts";

/*
 * PeerRouting believes only signed input (issue 12, item 4). The signed bytes are built
 * here from the documented formats (README, workers/routing/auth.ts), independently of
 * the code under test, so these tests also run (and fail) against a routing that does
 * not check signatures at all.
 */

const enc = new TextEncoder();
const root = (i: number) => i.toString(16).padStart(64, "0");
const loadMessage = (nodeId: string, load: number, seq: number) => enc.encode(`aro/routing-load/1\n${nodeId}\n${load}\n${seq}`);
const latencyMessage = (client: string, nodeId: string, region: string, ms: number, ts: number) => enc.encode(`aro/routing-latency/1\n${client}\n${nodeId}\n${region}\n${ms}\n${ts}`);

/** A client account key (secp256k1), as a ReceiptSigner holds it. */
async function account() {
  const priv = new Uint8Array(randomBytes(32));
  const kp = await Secp256k1.makeKeypair(priv);
  const pubkey = Secp256k1.compressPubkey(kp.pubkey);
  const address = addressFromBytes(addressBytesOf(pubkey));
  const sign = async (m: Uint8Array) => {
    const sig = await Secp256k1.createSignature(sha256(m), priv);
    return Buffer.from([...sig.r(32), ...sig.s(32)]).toString("base64");
  };
  return { address, pubkey, sign };
}
type Account = Awaited<ReturnType<typeof account>>;

async function signedLoad(key: PrivateKey, nodeId: string, load: number, seq: number) {
  return { nodeId, load, seq, signature: Buffer.from(await key.sign(loadMessage(nodeId, load, seq))).toString("base64") };
}

async function signedLatency(who: Account, nodeId: string, region: string, ms: number, ts: number, as?: Account) {
  const client = (as ?? who).address;
  return { nodeId, region, ms, client, pubkey: Buffer.from(who.pubkey).toString("base64"), ts, signature: await who.sign(latencyMessage(client, nodeId, region, ms, ts)) };
}

/** A router with `count` nodes in europe, each with a real libp2p key, behind a real HTTP server on 127.0.0.1. */
async function setup(count: number, opts: RouterOptions = {}, http: Omit<RoutingHttpOptions, "now"> = {}) {
  const clock = { t: 1_700_000_000_000 };
  const router = new Router({ probe: async () => "alive", ...opts });
  const keys = new Map<string, PrivateKey>();
  for (let i = 1; i <= count; i++) {
    const key = await generateKeyPair("Ed25519");
    keys.set(String(i), key);
    const n: NodeInput = { nodeId: String(i), peerId: peerIdFromPrivateKey(key).toString(), region: "europe", httpUrl: `http://10.0.0.${i}:8080`, multiaddrs: [] };
    router.table.upsertNode(n);
  }
  const server = await startRoutingHttp(router, { ...http, now: () => clock.t });
  const dispatchers = new Map<string, Agent>();
  /** Requests from 127.0.0.x when `from` is given (every 127/8 address is this host). */
  const call = async (method: "GET" | "POST", path: string, body?: unknown, from?: string) => {
    let dispatcher: Agent | undefined;
    if (from) {
      dispatcher = dispatchers.get(from);
      if (!dispatcher) dispatchers.set(from, (dispatcher = new Agent({ localAddress: from })));
    }
    const r = await request(server.url + path, { method, dispatcher, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body), headers: body === undefined ? {} : { "content-type": "application/json" } });
    const text = await r.body.text();
    return { status: r.statusCode, body: JSON.parse(text) as any, text };
  };
  const close = async () => {
    for (const d of dispatchers.values()) await d.close();
    await server.close();
  };
  return { router, keys, clock, call, close };
}

type Env = Awaited<ReturnType<typeof setup>>;
const order = async (env: Env, content: string) => (await env.call("GET", `/route?content=${content}&region=europe&n=2`)).body.nodes.map((n: any) => [n.nodeId, n.score]);
/** A refusal in routing's style: the status, a string code as given and a message. */
const refused = (r: { status: number; body: any; text: string }, status: number, code: string) => {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
  assert.equal(typeof r.body.message, "string");
  assert.ok(r.body.message.length > 0);
};

describe("PeerRouting believes only signed input (real HTTP servers on 127.0.0.1)", () => {
  const envs: Env[] = [];
  after(async () => {
    for (const e of envs) await e.close();
  });
  const env = async (...a: Parameters<typeof setup>) => {
    const e = await setup(...a);
    envs.push(e);
    return e;
  };

  it("POST /report: unsigned, forged, tampered, replayed and stale reports are refused and change nothing; the node's own signed report counts", async () => {
    const e = await env(2);
    const c = root(1);
    e.router.table.addHolder(c, "1", "chain");
    e.router.table.addHolder(c, "2", "chain");
    e.router.table.recordLatency("1", "europe", 10);
    e.router.table.recordLatency("2", "europe", 30);
    const before = await order(e, c);
    assert.deepEqual(before.map((x: any) => x[0]), ["1", "2"]);
    const n1 = e.router.table.nodes.get("1")!;
    const state = () => JSON.stringify({ load: n1.load, lastSeen: n1.lastSeen });
    const s0 = state();
    const k1 = e.keys.get("1")!;
    const k2 = e.keys.get("2")!;
    const stranger = await generateKeyPair("Ed25519");
    const t = e.clock.t;

    refused(await e.call("POST", "/report", { nodeId: "1", load: 1 }), 401, "unsigned_report");
    refused(await e.call("POST", "/report", await signedLoad(stranger, "1", 1, t)), 403, "bad_signature");
    refused(await e.call("POST", "/report", await signedLoad(k2, "1", 1, t)), 403, "bad_signature"); // another node's key
    refused(await e.call("POST", "/report", { ...(await signedLoad(k1, "1", 0.1, t)), load: 1 }), 403, "bad_signature"); // tampered
    refused(await e.call("POST", "/report", { ...(await signedLoad(k1, "1", 1, t)), seq: t + 1 }), 403, "bad_signature");
    refused(await e.call("POST", "/report", { ...(await signedLoad(k1, "1", 1, t)), signature: "AAAA" }), 403, "bad_signature");
    refused(await e.call("POST", "/report", await signedLoad(k1, "1", 1, t - 10 * 60_000)), 403, "stale_report");
    refused(await e.call("POST", "/report", await signedLoad(k1, "1", 1, t + 10 * 60_000)), 403, "stale_report");
    refused(await e.call("POST", "/report", { ...(await signedLoad(k1, "1", 1, t)), seq: "x" }), 400, "invalid_seq");
    refused(await e.call("POST", "/report", { ...(await signedLoad(k1, "1", 1, t)), signature: 5 }), 400, "invalid_signature");
    assert.equal(state(), s0, "no refused report touched the node");
    assert.deepEqual(await order(e, c), before, "routing answers unchanged");

    // the node's own report counts; the same bytes sent again (or an older one) do not
    const good = await signedLoad(k1, "1", 0.5, t);
    assert.deepEqual((await e.call("POST", "/report", good)).body, { ok: true });
    assert.equal(n1.load, 0.5);
    const older = await signedLoad(k1, "1", 1, t - 1);
    const afterGood = await order(e, c);
    e.clock.t += 1_000;
    refused(await e.call("POST", "/report", good), 403, "replayed_report");
    refused(await e.call("POST", "/report", older), 403, "replayed_report");
    assert.equal(n1.load, 0.5, "a replay does not change the load");
    assert.deepEqual(await order(e, c), afterGood);

    // a fresh signed report of full load swaps the order, as it should
    assert.deepEqual((await e.call("POST", "/report", await signedLoad(k1, "1", 1, e.clock.t))).body, { ok: true });
    assert.deepEqual((await order(e, c)).map((x: any) => x[0]), ["2", "1"]);
  });

  it("POST /latency: only escrow holders' signed reports count, at most 5 per node per client per minute; escrow answers are cached", async () => {
    const customer = await account();
    const stranger = await account();
    const lookups: string[] = [];
    const e = await env(2, {}, {
      hasEscrow: async (a) => {
        lookups.push(a);
        return a === customer.address;
      },
    });
    const c = root(2);
    e.router.table.addHolder(c, "1", "chain");
    e.router.table.addHolder(c, "2", "chain");
    e.router.table.recordLatency("1", "europe", 10, e.clock.t);
    e.router.table.recordLatency("2", "europe", 30, e.clock.t);
    const before = await order(e, c);
    const latencies = () => JSON.stringify([...e.router.table.nodes.values()].map((n) => [...n.latencyMs]));
    const l0 = latencies();
    let ts = e.clock.t;

    refused(await e.call("POST", "/latency", { nodeId: "1", region: "europe", ms: 60_000 }), 401, "unsigned_report");
    refused(await e.call("POST", "/latency", await signedLatency(stranger, "1", "europe", 60_000, ++ts)), 403, "no_escrow");
    // the stranger's key claiming to be the customer
    refused(await e.call("POST", "/latency", await signedLatency(stranger, "1", "europe", 60_000, ++ts, customer)), 403, "bad_signature");
    refused(await e.call("POST", "/latency", { ...(await signedLatency(customer, "1", "europe", 5, ++ts)), ms: 60_000 }), 403, "bad_signature");
    refused(await e.call("POST", "/latency", await signedLatency(customer, "1", "europe", 60_000, ts - 3_600_000)), 403, "stale_report");
    refused(await e.call("POST", "/latency", { ...(await signedLatency(customer, "1", "europe", 5, ++ts)), client: "not an address" }), 400, "invalid_client");
    assert.equal(latencies(), l0, "no refused report touched a latency");
    assert.deepEqual(await order(e, c), before);
    assert.deepEqual(lookups, [stranger.address], "forged reports are refused before the chain is asked");

    // the attack, now from a paying client: 30 reports that node 1 takes a minute per chunk
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await e.call("POST", "/latency", await signedLatency(customer, "1", "europe", 60_000, ++ts));
      statuses.push(r.status);
      if (r.status !== 200) refused(r, 429, "rate_limited");
    }
    assert.equal(statuses.filter((s) => s === 200).length, 5, `statuses ${statuses.join(",")}`);
    let expected = 10;
    for (let i = 0; i < 5; i++) expected += 0.2 * (60_000 - expected);
    assert.ok(Math.abs(e.router.table.nodes.get("1")!.latencyMs.get("europe")! - expected) < 1e-6, "exactly five samples folded in");
    assert.deepEqual(lookups, [stranger.address, customer.address], "the customer's escrow was looked up once and cached");
    // a replayed accepted report does not count again, even in a new minute
    const replay = await signedLatency(customer, "2", "europe", 1, ++ts);
    assert.deepEqual((await e.call("POST", "/latency", replay)).body, { ok: true });
    e.clock.t += 61_000;
    refused(await e.call("POST", "/latency", replay), 403, "replayed_report");
    // the budget is per minute: the next minute takes reports again
    assert.deepEqual((await e.call("POST", "/latency", await signedLatency(customer, "1", "europe", 10, e.clock.t))).body, { ok: true });
  });

  it("GET /route: a flood from one address neither makes a content hot nor triggers /prefetch plans; several distinct clients do", async () => {
    const e = await env(3);
    const c = root(3);
    e.router.table.addHolder(c, "1", "chain");
    for (let i = 0; i < 300; i++) {
      e.clock.t += 50; // 20 requests a second for 15 s, all from 127.0.0.1
      assert.equal((await e.call("GET", `/route?content=${c}&region=europe&n=1`)).status, 200, "the flood is still answered");
    }
    e.clock.t += 1_000;
    const rates = e.router.demand.rates(c, "europe", e.clock.t);
    assert.ok(rates.short < 0.5, `one client's flood reads ${rates.short.toFixed(3)} req/s, under the 0.5 req/s that makes a content rising`);
    for (const id of ["1", "2", "3"]) assert.deepEqual((await e.call("GET", `/prefetch?node=${id}`)).body.prefetch, [], `no plan for node ${id}`);
    assert.equal(e.router.demand.placement.nodesWith(c), undefined, "nothing placed");

    // 12 distinct clients asking within a few seconds: a real surge
    for (let i = 0; i < 12; i++) {
      e.clock.t += 250;
      assert.equal((await e.call("GET", `/route?content=${c}&region=europe&n=1`, undefined, `127.0.0.${20 + i}`)).status, 200);
    }
    e.clock.t += 1_000;
    const plans = await Promise.all(["2", "3"].map(async (id) => (await e.call("GET", `/prefetch?node=${id}`)).body.prefetch));
    assert.deepEqual(plans.flat(), [c], "placed on one more node of the region (two replicas wanted)");
  });

  it("memory stays bounded: tracked (content, region) pairs are capped (least recently requested dropped) and dropped after 10 idle minutes", async () => {
    // demand pairs: capped, least recently requested dropped first
    const r = new Router({ probe: async () => "alive", demand: { maxTracked: 100 } } as RouterOptions);
    r.table.upsertNode({ nodeId: "1", peerId: "p1", region: "europe" });
    for (let i = 0; i < 250; i++) r.demand.record(root(i), "europe", i);
    assert.equal(r.demand.tracked, 100);
    assert.equal(r.demand.rates(root(0), "europe", 300).long, 0, "the oldest pair is gone");
    assert.ok(r.demand.rates(root(249), "europe", 300).long > 0, "the newest is kept");

    // a pair asked for once is dropped after the idle time (10 minutes), not ~22 minutes
    const idle = new Router({ probe: async () => "alive" });
    idle.demand.record(root(1), "europe", 0);
    idle.demand.record(root(2), "europe", 11 * 60_000);
    assert.equal(idle.demand.tracked, 1);
  });

  it("memory stays bounded: at most 32 latency regions per node (least recently reported dropped), none kept past an hour", async () => {
    const r = new Router({ probe: async () => "alive" });
    r.table.upsertNode({ nodeId: "2", peerId: "p2", region: "europe" });
    for (let i = 0; i < 100; i++) r.table.recordLatency("2", `r-${i}`, 10, 1_000 + i);
    const lat = r.table.nodes.get("2")!.latencyMs;
    assert.equal(lat.size, 32);
    assert.ok(lat.has("r-99") && !lat.has("r-0"));
    r.prefetchPlan(1_000 + 2 * 3_600_000);
    assert.equal(lat.size, 0, "stale latencies dropped");
  });

  it("memory stays bounded: one address adds at most its per-minute budget of demand pairs, and the per-client limiter is capped", async () => {
    // over HTTP: one address asking for 300 distinct contents adds at most its per-minute budget (60) of pairs
    const e = await env(1);
    for (let i = 0; i < 300; i++) {
      e.clock.t += 10;
      assert.equal((await e.call("GET", `/route?content=${root(1000 + i)}&region=europe&n=1`)).status, 200);
    }
    assert.ok(e.router.demand.tracked <= 60, `tracked ${e.router.demand.tracked}`);
    const limiter = (e.router as unknown as { demandLimit?: { keys: number; clients: number } }).demandLimit;
    assert.ok(limiter && limiter.keys <= 60 && limiter.clients === 1, JSON.stringify(limiter && { keys: limiter.keys, clients: limiter.clients }));

    // the per-client limiter itself is bounded in keys and clients
    const small = new Router({ probe: async () => "alive", demandLimit: { maxKeys: 50, maxClients: 20 } } as RouterOptions);
    for (let i = 0; i < 500; i++) small.route(root(i % 37), "europe", 1, i, `10.0.${i % 40}.1`);
    const sl = (small as unknown as { demandLimit?: { keys: number; clients: number } }).demandLimit;
    assert.ok(sl && sl.keys <= 50 && sl.clients <= 20, JSON.stringify(sl && { keys: sl.keys, clients: sl.clients }));
  });
});
