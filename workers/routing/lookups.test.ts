import assert from "node:assert/strict";
import { pino } from "pino";
import { Agent, request } from "undici";
import type { AroQuery } from "../runtime/chain-client.ts";
import type { AroHost } from "../p2p/host.ts";
import { startRoutingService } from "./service.ts";
import { waitFor } from "../../test/support/eventually.ts";

/*
 * A /route for a content routing knows no live holder of starts a DHT provider lookup
 * (issue: "a /route flood does not change routing answers or trigger placement"). The
 * routing service here is the one the agent runs (startRoutingService: HTTP API, chain
 * feed, DHT lookups), on 127.0.0.1, with a DHT whose lookups are counted and never end
 * until the test lets them go, so every lookup started is also one in flight.
 */

const root = (i: number) => i.toString(16).padStart(64, "0");

/** A libp2p host whose only used part, the DHT's findProviders, counts lookups and blocks until released. */
function countingDht() {
  const s = { calls: 0, inFlight: 0, maxInFlight: 0, looked: new Set<string>() };
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const host = {
    contentRouting: {
      findProviders(cid: unknown, o: { signal?: AbortSignal } = {}) {
        s.calls++;
        s.looked.add(String(cid));
        s.inFlight++;
        s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
        return (async function* () {
          try {
            await new Promise<void>((resolve) => {
              void released.then(resolve);
              o.signal?.addEventListener("abort", () => resolve(), { once: true });
            });
          } finally {
            s.inFlight--;
          }
        })();
      },
    },
  } as unknown as AroHost;
  return { host, s, release };
}

describe("PeerRouting: a /route flood of unknown contents starts few DHT lookups and changes nothing for others (routing service on 127.0.0.1)", function () {
  this.timeout(60_000);
  const dispatchers = new Map<string, Agent>();
  let svc: Awaited<ReturnType<typeof startRoutingService>>;
  let dht: ReturnType<typeof countingDht>;
  const known = root(0xabc);

  const get = async (path: string, from: string) => {
    let d = dispatchers.get(from);
    if (!d) dispatchers.set(from, (d = new Agent({ localAddress: from, connections: 32 })));
    const r = await request(svc.url + path, { dispatcher: d });
    const text = await r.body.text();
    assert.equal(r.statusCode, 200, text);
    return JSON.parse(text) as { holds: boolean; nodes: Array<{ nodeId: string; score: number; holds: boolean }> };
  };
  const route = (content: string, from: string) => get(`/route?content=${content}&region=europe&n=3`, from);

  before(async () => {
    dht = countingDht();
    // the chain is not asked: the feed is not ticked, and no latency report is posted
    svc = await startRoutingService({ q: {} as AroQuery, log: pino({ level: "silent" }), host: dht.host, listen: { host: "127.0.0.1", port: 0 }, epochLength: 100n, staleMs: 60_000, lookupLimit: { maxInFlight: 16 } });
    for (let i = 1; i <= 4; i++) svc.router.table.upsertNode({ nodeId: String(i), peerId: `12D3KooWpeer${i}`, region: "europe", httpUrl: `http://10.0.0.${i}:8080`, multiaddrs: [] });
    svc.router.table.addHolder(known, "2", "chain");
    svc.router.table.addHolder(known, "3", "chain");
  });
  after(async () => {
    dht?.release();
    for (const d of dispatchers.values()) await d.close();
    await svc?.close();
  });

  it("one client's 300 distinct unknown contents start at most its per-minute budget of lookups; others' answers and lookups are unaffected, nothing is placed", async () => {
    const other = "127.0.0.2";
    const before = await route(known, other);
    assert.equal(before.holds, true);
    assert.deepEqual(before.nodes.filter((n) => n.holds).map((n) => n.nodeId).sort(), ["2", "3"]);
    const unknownBefore = await route(root(1), other);
    assert.equal(unknownBefore.holds, false);
    await waitFor("the other client's lookup", () => (dht.s.calls === 1 ? true : undefined));

    // the flood: 300 distinct contents nobody holds, from 127.0.0.1, 30 at a time
    const flood = Array.from({ length: 300 }, (_, i) => root(0x10000 + i));
    for (let i = 0; i < flood.length; i += 30) {
      const answers = await Promise.all(flood.slice(i, i + 30).map((c) => route(c, "127.0.0.1")));
      for (const a of answers) {
        assert.equal(a.holds, false);
        assert.equal(a.nodes.length, 3, "still answered with fetch-through nodes");
      }
    }
    const byFlood = dht.s.calls - 1;
    console.log(`      lookups started by a flood of ${flood.length} unknown contents from one client: ${byFlood} (in flight at most ${dht.s.maxInFlight})`);
    assert.ok(byFlood <= 10, `the flood started ${byFlood} DHT lookups`);
    assert.ok(byFlood >= 1, "the client's first unknown contents are still looked up");
    assert.ok(svc.router.lookups!.stats.rateLimited >= flood.length - 10);

    // another client: the same answer for the known content, and its own unknown content is still looked up
    const after = await route(known, other);
    assert.deepEqual(after, before);
    const callsBefore = dht.s.calls;
    await route(root(2), other);
    await waitFor("the other client's lookup after the flood", () => (dht.s.calls === callsBefore + 1 ? true : undefined));

    // nothing was made hot: no prefetch placement anywhere
    assert.deepEqual(svc.router.prefetchPlan(Date.now()), []);
    for (let i = 1; i <= 4; i++) assert.deepEqual(svc.router.prefetchFor(String(i), Date.now()).prefetch, []);
  });

  it("many clients together never run more lookups at once than the global bound", async () => {
    // 10 more addresses, each within its own budget, 20 distinct contents each
    const asks: Array<Promise<unknown>> = [];
    for (let c = 10; c < 20; c++) for (let i = 0; i < 20; i++) asks.push(route(root(0x20000 + c * 100 + i), `127.0.0.${c}`));
    await Promise.all(asks);
    console.log(`      lookups in flight at most ${dht.s.maxInFlight} (bound 16) after ${dht.s.calls} started in all`);
    assert.ok(dht.s.maxInFlight <= 16, `${dht.s.maxInFlight} lookups ran at once`);
    assert.ok(svc.router.lookups!.stats.busy > 0, "some were refused as busy");
    assert.ok(svc.router.lookups!.inFlight <= 16);
  });

  it("once lookups end, their slots free up and a repeat of a running lookup costs nothing", async () => {
    dht.release();
    await waitFor("every lookup to end", () => (svc.router.lookups!.inFlight === 0 && dht.s.inFlight === 0 ? true : undefined));
    const calls = dht.s.calls;
    await route(root(3), "127.0.0.30");
    await waitFor("a fresh lookup", () => (dht.s.calls === calls + 1 ? true : undefined));
  });
});
