import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, configTemplate } from "../../node-agent/config.ts";
import { Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { chunkContent } from "../../workers/dts/content.ts";
import { servedRanges } from "../../workers/dts/receipts.ts";
import { epochEnd, epochOf } from "../../workers/gpow/prover.ts";
import { summarise } from "../../workers/keeper/prober.ts";
import { verifiedManifest, manifestToJson } from "../../workers/dts/manifest.ts";

describe("aro-agent pure logic: config, receipts ranges, epoch windows, keeper summaries, manifests", () => {
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
    for (const [from, to, message] of [
      ['services = ["cdn", "hvm"]', 'services = ["cdn", "gpu"]', /node.services: unknown service "gpu"/],
      ['nat = "public"', 'nat = "open"', /node.nat must be/],
      ['chain_rpc = "http://127.0.0.1:26657"', 'chain_rpc = "127.0.0.1:26657"', /chain_rpc must be an http/],
      ["gpus = 0", "gpus = -1", /node.resources.gpus must be a non-negative number/],
      ['services = ["cdn", "hvm"]', "services = []", /nothing to run/],
      ["[p2p]", "[p2p", /config.toml/],
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

  it("a keeper's report: uptime over planned probes, median latency, chunk checks", () => {
    const r = summarise(7n, [
      { answered: true, latencyMs: 30, chunk: "passed" },
      { answered: false, latencyMs: 0 },
      { answered: true, latencyMs: 10, chunk: "failed" },
    ], 4);
    assert.deepEqual(r, { nodeId: 7n, uptimePermille: 500, latencyMs: 30, chunksPassed: 1, chunksFailed: 1 });
    assert.equal(summarise(1n, [], 3).uptimePermille, 0, "a node never answered is reported down");
  });

  it("a manifest from a peer is accepted only if its chunk hashes rebuild the root", () => {
    const { content } = chunkContent(new Uint8Array(5000).fill(7), 1024);
    const json = manifestToJson(content);
    assert.equal(verifiedManifest(content.root, json).chunkHashes.length, 5);
    const tampered = { ...json, chunkHashes: [...json.chunkHashes.slice(0, 4), "00".repeat(32)] };
    assert.throws(() => verifiedManifest(content.root, tampered), /give root/);
    assert.throws(() => verifiedManifest(content.root, { ...json, size: 9000 }), /lists 5 chunks/);
    assert.throws(() => verifiedManifest(content.root, { ...json, chunkSize: 0 }), /chunk size/);
  });
});
