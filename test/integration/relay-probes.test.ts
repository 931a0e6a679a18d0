import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { circuitRelayServer } from "@libp2p/circuit-relay-v2";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { request } from "undici";
import { Blockstore } from "../../client/content/blockstore.ts";
import { identityFromKey } from "../../workers/dts/challenge.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { download } from "../../client/fetch/downloader.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { Libp2pChunkSource } from "../../workers/dts/p2p-chunk-source.ts";
import { serveDtsOverLibp2p, type ServeDtsOptions } from "../../workers/dts/p2p-server.ts";
import { probeLibp2p } from "../../workers/dts/probe.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { nodeProbe, Router, startRoutingHttp } from "../../workers/routing/index.ts";
import { waitFor } from "../support/eventually.ts";
import { stopHosts } from "../support/hosts.ts";

/*
 * Relays carry probes, not bulk content (issue: PeerRouting and relays believe only what
 * they must). Nodes behind NAT with no address of their own: one behind an Aro relay
 * (unlimited circuits), one behind a relay with circuit relay v2's default limits
 * (128 KiB, 2 min per circuit). All on 127.0.0.1.
 */

const isCircuit = (a: Multiaddr | string) => a.toString().includes("/p2p-circuit");
const tcpAddr = (h: Libp2p<any>) => h.getMultiaddrs().find((a) => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(a.toString()))!;

describe("relays carry probes, not bulk content; routing checks a reported relay-only node the way watchers do (127.0.0.1)", function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-relay-probes-"));
  const hosts: Array<Libp2p<any>> = [];
  // ~1 MiB in 64 KiB chunks, and 48 KiB in 16 KiB chunks (a probe's chunk fits a limited circuit)
  const big = chunkContent(new Uint8Array(randomBytes(1024 * 1024 + 99)), 64 * 1024);
  const small = chunkContent(new Uint8Array(randomBytes(48 * 1024)), 16 * 1024);
  let client: AroHost;
  let open: { peerId: string; circuit: string; served: () => number }; // behind the Aro relay
  let limited: { peerId: string; circuit: string; served: () => number }; // behind the limited relay
  const BUDGET = 300_000;

  /** A NATed node: no listen address, a reservation on `relay`, serving both contents over PeerDTS with its own identity. */
  async function natNode(relay: Multiaddr, name: string, o: ServeDtsOptions = {}, listen: string[] = []) {
    const key = await generateKeyPair("Ed25519");
    const h = await createAroHost({ privateKey: key, listen, relayVia: [relay.toString()] });
    hosts.push(h);
    const circuit = await waitFor(`${name}'s relay reservation`, () => h.getMultiaddrs().find(isCircuit));
    const store = new Blockstore(path.join(dir, name));
    store.put(big.content, big.chunks);
    store.put(small.content, small.chunks);
    let served = 0;
    await serveDtsOverLibp2p(h, new DtsService(store, { identity: identityFromKey(key, h.peerId.toString()), onServed: (e) => (served += e.bytes) }), o);
    return { host: h, peerId: h.peerId.toString(), circuit: circuit.toString(), served: () => served };
  }

  let aroRelay: AroHost;
  let limitedRelay: Libp2p<any>;
  before(async () => {
    aroRelay = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"], relayServer: true });
    hosts.push(aroRelay);
    limitedRelay = await createLibp2p({
      addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false },
      services: { identify: identify(), relay: circuitRelayServer() },
    });
    hosts.push(limitedRelay);
    open = await natNode(tcpAddr(aroRelay), "open", { relayedBytesPerConnection: BUDGET });
    limited = await natNode(tcpAddr(limitedRelay), "limited");
    client = await createAroHost({ listen: [] });
    hosts.push(client);
  });
  after(async () => {
    await stopHosts(hosts);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("POST /failed about a relay-only node (its HTTP endpoint unreachable, or none) is checked over libp2p through its relay — limited or not — and the node stays in", async () => {
    const dead = await startDtsHttp(new DtsService(new Blockstore(path.join(dir, "dead"))));
    await dead.close(); // the endpoint it registered answers nobody (a private address behind its NAT)
    const router = new Router({ probe: nodeProbe({ timeoutMs: 5_000, host: client }) });
    router.table.upsertNode({ nodeId: "1", peerId: open.peerId, region: "europe", httpUrl: dead.url, multiaddrs: [open.circuit] });
    router.table.upsertNode({ nodeId: "2", peerId: limited.peerId, region: "europe", multiaddrs: [limited.circuit] });
    // an impostor: the first node's circuit, registered under another peer id
    router.table.upsertNode({ nodeId: "3", peerId: client.peerId.toString(), region: "europe", multiaddrs: [open.circuit.replace(/\/p2p\/[^/]+$/, "")] });
    const http = await startRoutingHttp(router);
    try {
      const failed = async (nodeId: string, content: string) => {
        const r = await request(`${http.url}/failed`, { method: "POST", body: JSON.stringify({ nodeId, content }), headers: { "content-type": "application/json" } });
        const body = (await r.body.json()) as { outcome: string };
        assert.equal(r.statusCode, 200, JSON.stringify(body));
        return body.outcome;
      };
      assert.equal(await failed("1", big.content.root), "alive", "the node behind the Aro relay answered its challenge and a chunk check there");
      assert.equal(await failed("2", small.content.root), "alive", "the node behind a limited relay answered on the probe protocol");
      assert.equal(await failed("3", big.content.root), "excluded");
      const routed = router.table.best(big.content.root, "europe", 3, Date.now()).map((r) => r.node.nodeId).sort();
      assert.deepEqual(routed, ["1", "2"]);
    } finally {
      await http.close();
    }
  });

  it("a watcher's libp2p probe reaches the node behind a limited relay: signed challenge and chunk check pass, reach relayed", async () => {
    const r = await probeLibp2p(client, { peerId: limited.peerId, multiaddrs: [limited.circuit] }, small.content.root, { timeoutMs: 10_000 });
    assert.equal(r.answered, true, r.failure);
    assert.equal(r.reach, "relayed");
    assert.equal(r.chunk, "passed");
  });

  it("bulk content over a limited circuit is refused with a clear code, direct_connection_required", async () => {
    const source = new Libp2pChunkSource(client, multiaddr(limited.circuit), "limited", 4, { waitDirectMs: 0 });
    const drops: string[] = [];
    try {
      const r = await download({ root: small.content.root, sources: [source], store: new Blockstore(path.join(dir, "c-limited")), onDrop: (d) => drops.push(d.detail) }).catch((e: Error) => e);
      assert.ok(r instanceof Error, "the download should fail");
      assert.equal(drops.length, 1);
      assert.match(drops[0], /direct_connection_required/);
    } finally {
      await source.close();
    }
  });

  it("an unlimited (Aro) relay carries at most the node's per-connection share of content, then direct_connection_required; over a direct connection the download goes on", async () => {
    const before = open.served();
    const source = new Libp2pChunkSource(client, multiaddr(open.circuit), "open", 4, { waitDirectMs: 200 });
    const drops: string[] = [];
    try {
      const r = await download({ root: big.content.root, sources: [source], store: new Blockstore(path.join(dir, "c-open")), onDrop: (d) => drops.push(d.detail) }).catch((e: Error) => e);
      assert.ok(r instanceof Error, "a 1 MiB download over a 300 kB relayed share should fail");
      assert.equal(drops.length, 1);
      assert.match(drops[0], /direct_connection_required/);
      const carried = open.served() - before;
      console.log(`      bytes served over the relayed connection: ${carried} (share ${BUDGET}, content ${big.content.size})`);
      assert.ok(carried <= BUDGET, `the relay carried ${carried} bytes`);
      assert.ok(client.getConnections(multiaddr(open.circuit).getComponents().filter((c) => c.name === "p2p").pop()!.value as any).every((c) => isCircuit(c.remoteAddr)));
    } finally {
      await source.close();
    }

    // once the client has a direct connection (as DCUtR gives it), the same download goes on over it past the relayed share:
    // a NATed node that can also be dialled directly, standing in for a DCUtR upgrade (which loopback cannot show)
    const both = await natNode(tcpAddr(aroRelay), "both", { relayedBytesPerConnection: BUDGET }, ["/ip4/127.0.0.1/tcp/0"]);
    const c2: AroHost = await createAroHost({ listen: [] });
    hosts.push(c2);
    const upgraded = new Libp2pChunkSource(c2, multiaddr(both.circuit), "both", 4, { waitDirectMs: 20_000 });
    try {
      const run = download({ root: big.content.root, sources: [upgraded], store: new Blockstore(path.join(dir, "c-both")) });
      await waitFor("the relayed share to be used", () => (both.served() >= BUDGET - 64 * 1024 ? true : undefined), 30_000);
      const direct = both.host.getMultiaddrs().find((a) => !isCircuit(a))!;
      await c2.dial(direct);
      const r = await run;
      assert.deepEqual(r.dropped, []);
      assert.equal(r.servedBy.get("both")?.length, big.content.chunkHashes.length);
    } finally {
      await upgraded.close();
    }
  });
});
