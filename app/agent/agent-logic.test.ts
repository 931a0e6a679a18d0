import assert from "node:assert/strict";
import { Reach } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AddressSync, addressesToRegister } from "./address-sync.ts";
import { loadConfig, configTemplate } from "./config.ts";
import { Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { servedRanges } from "../../client/receipts/delivery.ts";
import { epochEnd, epochOf } from "../../workers/gpow/prover.ts";
import { summarise } from "../../workers/watcher/prober.ts";
import { verifiedManifest, manifestToJson } from "../../client/content/manifest.ts";

describe("aro-agent pure logic: config, receipts ranges, epoch windows, watcher summaries, manifests", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-agent-logic-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ports = { p2p: 4001, ws: 4002, dts: 8080, metrics: 9100, routing: 8090 };

  it("the config template parses to sane defaults, and bad values are reported with their key", () => {
    const file = path.join(dir, "config.toml");
    const text = configTemplate({ chainRpc: "http://127.0.0.1:26657", chainId: "aro-1", region: "europe", keyringBackend: "test", ports });
    assert.match(text, /^# /m, "the file explains itself");
    fs.writeFileSync(file, text);
    const c = loadConfig(file);
    assert.deepEqual(c.node.services, [Service.SERVICE_CDN, Service.SERVICE_HVM]);
    assert.deepEqual(c.p2p.listen, ["/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4002/ws"]);
    assert.equal(c.http.dtsListen, "127.0.0.1:8080");
    assert.deepEqual(c.storage, { maxReplicas: 1000, minPaymentPerEpoch: 1n, chunkCacheMib: 32 }, "the storage ack policy the pinner is given, and the chunk cache");
    fs.writeFileSync(file, text.replace("max_replicas = 1000", "max_replicas = 3").replace("min_payment_per_epoch = 1", "min_payment_per_epoch = 500").replace("chunk_cache_mib = 32", "chunk_cache_mib = 8"));
    assert.deepEqual(loadConfig(file).storage, { maxReplicas: 3, minPaymentPerEpoch: 500n, chunkCacheMib: 8 });
    for (const [from, to, message] of [
      ["max_replicas = 1000", "max_replicas = -1", /storage.max_replicas must be a non-negative number/],
      ['services = ["cdn", "hvm"]', 'services = ["cdn", "gpu"]', /node.services: unknown service "gpu"/],
      ['nat = "public"', 'nat = "open"', /node.nat must be/],
      ['chain_rpc = "http://127.0.0.1:26657"', 'chain_rpc = "127.0.0.1:26657"', /chain_rpc must be an http/],
      ["gpus = 0", "gpus = -1", /node.resources.gpus must be a non-negative number/],
      ['services = ["cdn", "hvm"]', "services = []", /nothing to run/],
      ["[p2p]", "[p2p", /config.toml/],
      ["bootstrap = []", 'bootstrap = ["/ip4/10.0.0.1/tcp/4001"]', /p2p.bootstrap: "\/ip4\/10.0.0.1\/tcp\/4001" must end in \/p2p\/<peer id>/],
      ["relay_via = []", 'relay_via = ["/ip4/10.0.0.1/tcp/x"]', /p2p.relay_via: "\/ip4\/10.0.0.1\/tcp\/x" is not a multiaddr/],
      ["announce = []", 'announce = ["1.2.3.4:4001"]', /p2p.announce: "1.2.3.4:4001" is not a multiaddr/],
      ["[watcher]", "[keeper]", /\[keeper\] is now \[watcher\]/],
    ] as const) {
      fs.writeFileSync(file, text.replace(from, to));
      assert.throws(() => loadConfig(file), message);
    }
    assert.throws(() => loadConfig(path.join(dir, "missing.toml")), /run `aro-agent init` first/);
  });

  it("receipts cover contiguous runs of the chunks a node served", () => {
    const { content } = chunkContent(new Uint8Array(10_000), 1024);
    assert.deepEqual(servedRanges(content, [0, 1, 2, 5, 9]), [{ start: 0, end: 3072 }, { start: 5120, end: 6144 }, { start: 9216, end: 10_000 }]);
    assert.deepEqual(servedRanges(content, []), []);
  });

  it("epochs and their windows match the chain's numbering (epoch e is heights e*L+1 .. (e+1)*L)", () => {
    const w = { epochLength: 30n, claimWindow: 10n, proofWindow: 10n };
    assert.equal(epochOf(w, 1n), 0n);
    assert.equal(epochOf(w, 30n), 0n);
    assert.equal(epochOf(w, 31n), 1n);
    assert.equal(epochEnd(w, 1n), 60n);
  });

  it("a watcher's report: uptime over planned probes, median latency, chunk checks", () => {
    const r = summarise(7n, [
      { answered: true, latencyMs: 30, chunk: "passed" },
      { answered: false, latencyMs: 0 },
      { answered: true, latencyMs: 10, chunk: "failed" },
    ], 4);
    assert.deepEqual(r, { nodeId: 7n, uptimePermille: 500, latencyMs: 30, chunksPassed: 1, chunksFailed: 1, reach: Reach.REACH_UNSPECIFIED });
    assert.equal(summarise(1n, [], 3).uptimePermille, 0, "a node never answered is reported down");
  });

  it("a watcher's report says how it reached the node: direct beats relayed, none answered is unreachable", () => {
    const up = (reach?: "direct" | "relayed") => ({ answered: true, latencyMs: 5, reach });
    const down = { answered: false, latencyMs: 0, failure: "timeout" };
    assert.equal(summarise(1n, [up("relayed"), up("direct"), down], 3).reach, Reach.REACH_DIRECT);
    assert.equal(summarise(1n, [up("relayed"), down], 3).reach, Reach.REACH_RELAYED);
    assert.equal(summarise(1n, [down, down], 3).reach, Reach.REACH_UNREACHABLE);
    assert.equal(summarise(1n, [], 3).reach, Reach.REACH_UNSPECIFIED, "no probe ran: the watcher does not know");
  });

  it("a manifest from a peer is its root, size and chunk size, well formed and bounded (chunks are checked by their audit paths)", () => {
    const { content } = chunkContent(new Uint8Array(5000).fill(7), 1024);
    const json = manifestToJson(content);
    assert.deepEqual(json, { root: content.root, size: 5000, chunkSize: 1024 });
    assert.deepEqual(verifiedManifest(content.root, json), json);
    assert.throws(() => verifiedManifest(content.root, { ...json, root: "ab".repeat(32) }), /manifest is for/);
    assert.throws(() => verifiedManifest(content.root, { ...json, size: -1 }), /size must be a positive integer/);
    assert.throws(() => verifiedManifest(content.root, { ...json, chunkSize: 0 }), /chunk size/);
    assert.throws(() => verifiedManifest(content.root, { ...json, size: 2 ** 40, chunkSize: 1 }), /more than 67108864 chunks/);
  });

  it("the addresses a node registers: the configured announce list, else the host's own, without /p2p/<self>, sorted", () => {
    const me = "12D3KooWme";
    const host = [`/ip4/127.0.0.1/tcp/4001/p2p/${me}`, `/ip4/11.0.1.1/tcp/4001/p2p/${me}`, "/ip4/11.0.0.3/tcp/4011/p2p/12D3KooWrelay/p2p-circuit", `/ip4/127.0.0.1/tcp/4001/p2p/${me}`];
    assert.deepEqual(addressesToRegister([], host, me), ["/ip4/11.0.0.3/tcp/4011/p2p/12D3KooWrelay/p2p-circuit", "/ip4/11.0.1.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001"]);
    assert.deepEqual(addressesToRegister(["/dns4/node.example/tcp/4001"], host, me), ["/dns4/node.example/tcp/4001"]);
    const many = Array.from({ length: 20 }, (_, i) => `/ip4/10.0.0.${i}/tcp/4001/p2p/${me}`);
    assert.equal(addressesToRegister([], many, me).length, 8);
  });

  it("address sync publishes a changed set once, keeps quiet while nothing moves, and spaces updates by minBlocks", async () => {
    let host = ["/ip4/127.0.0.1/tcp/4001"];
    const sent: string[][] = [];
    const sync = new AddressSync([...host], () => host, async (a) => void sent.push(a), 10n);
    assert.equal(await sync.tick(5n), undefined);
    host = ["/ip4/11.0.1.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001"]; // AutoNAT confirmed the public one
    assert.deepEqual(await sync.tick(6n), host);
    assert.equal(await sync.tick(7n), undefined, "the same set is not sent again");
    host = ["/ip4/127.0.0.1/tcp/4001"];
    assert.equal(await sync.tick(12n), undefined, "within minBlocks of the last update");
    assert.deepEqual(await sync.tick(16n), host);
    host = [];
    assert.equal(await sync.tick(40n), undefined, "no address at all is never published");
    assert.deepEqual(sent, [["/ip4/11.0.1.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001"], ["/ip4/127.0.0.1/tcp/4001"]]);
    const failing = new AddressSync(["/a"], () => ["/b"], async () => {
      throw new Error("tx refused");
    });
    await assert.rejects(failing.tick(1n), /tx refused/);
    await assert.rejects(failing.tick(2n), /tx refused/, "a failed update is retried on the next block");
  });
});
