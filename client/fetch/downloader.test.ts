import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blockstore } from "../content/blockstore.ts";
import { chunkContent } from "../content/chunks.ts";
import { download, type DownloadProgress } from "./downloader.ts";
import { HttpChunkSource } from "./http-source.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { Libp2pChunkSource } from "../../workers/dts/p2p-chunk-source.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { DtsService, type DtsFaults } from "../../workers/dts/service.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";

describe("PeerDTS multi-source download over real libp2p hosts and HTTP on 127.0.0.1", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-dts-ms-"));
  const data = new Uint8Array(randomBytes(40 * 1024 + 123));
  const { content, chunks } = chunkContent(data, 1024);
  const servers: Array<{ host: AroHost; service: DtsService }> = [];
  let client: AroHost;

  async function server(faults: DtsFaults = {}): Promise<{ host: AroHost; service: DtsService }> {
    const store = new Blockstore(path.join(dir, `server-${servers.length}`));
    store.put(content, chunks);
    const host = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    const service = new DtsService(store, { faults });
    await serveDtsOverLibp2p(host, service);
    servers.push({ host, service });
    return { host, service };
  }
  const source = (s: { host: AroHost }, id: string) => new Libp2pChunkSource(client, s.host.getMultiaddrs(), id);

  before(async () => {
    client = await createAroHost({ listen: [] });
  });
  after(async () => {
    await Promise.all([client, ...servers.map((s) => s.host)].map((h) => h.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pulls different chunks from several nodes in parallel; a corrupt node is dropped and gets nothing", async () => {
    const good = [await server(), await server(), await server()];
    const bad = await server({ corruptChunks: true });
    const store = new Blockstore(path.join(dir, "client-1"));
    const sources = [source(bad, "bad"), ...good.map((g, i) => source(g, `good-${i}`))];
    const r = await download({ root: content.root, sources, store });
    assert.deepEqual(store.read(content.root, 0, data.length), data);
    assert.deepEqual(r.dropped.map((d) => [d.id, d.reason]), [["bad", "corrupt"]]);
    assert.equal(r.servedBy.has("bad"), false);
    assert.ok([...r.servedBy.keys()].length >= 2, `served by ${[...r.servedBy.keys()]}`);
    assert.equal([...r.servedBy.values()].reduce((n, l) => n + l.length, 0), content.chunkHashes.length);
  });

  it("finishes from the others when a node is stopped mid-download, and drops a slow one", async () => {
    const a = await server({ delayMs: 20 });
    const b = await server({ delayMs: 5 });
    const slow = await server({ delayMs: 5_000 });
    const store = new Blockstore(path.join(dir, "client-2"));
    let stopped = false;
    const r = await download({
      root: content.root, sources: [source(a, "a"), source(b, "b"), source(slow, "slow")], store, chunkTimeoutMs: 1_000,
      onProgress: (p) => {
        if (!stopped && p.chunksDone >= 5) {
          stopped = true;
          void a.host.stop();
        }
      },
    });
    assert.deepEqual(store.read(content.root, 0, data.length), data);
    const reasons = Object.fromEntries(r.dropped.map((d) => [d.id, d.reason]));
    assert.equal(reasons.a, "failed");
    assert.equal(reasons.slow, "slow");
    assert.ok((r.servedBy.get("b")?.length ?? 0) > 0);
    assert.equal([...r.servedBy.values()].reduce((n, l) => n + l.length, 0), content.chunkHashes.length, "every chunk stored once, those of the cut runs too");
  });

  it("resumes an interrupted download without fetching what it already has (over HTTP)", async () => {
    const store = new Blockstore(path.join(dir, "server-http"));
    store.put(content, chunks);
    const service = new DtsService(store, { faults: { delayMs: 2 } });
    const http = await startDtsHttp(service);
    let served = 0;
    const counting = new DtsService(store, { onServed: () => served++ });
    const http2 = await startDtsHttp(counting);
    try {
      const mine = new Blockstore(path.join(dir, "client-3"));
      const abort = new AbortController();
      await assert.rejects(download({
        root: content.root, sources: [new HttpChunkSource(http.url, "h1")], store: mine, perSource: 1, signal: abort.signal,
        onProgress: (p) => p.chunksDone === 10 && abort.abort(new Error("interrupted")),
      }));
      const have = mine.heldChunks(content.root).count;
      assert.ok(have >= 10 && have < content.chunkHashes.length, `held ${have}`);
      let last: DownloadProgress | undefined;
      const r = await download({ root: content.root, sources: [new HttpChunkSource(http2.url, "h2")], store: mine, onProgress: (p) => (last = p) });
      assert.equal(r.resumed, have);
      assert.equal(last?.bytesDone, data.length, "progress counts every byte, the resumed ones and the fetched ones");
      assert.equal(last?.chunksDone, content.chunkHashes.length);
      assert.equal(served, content.chunkHashes.length - have);
      assert.deepEqual(mine.read(content.root, 0, data.length), data);
    } finally {
      await http.close();
      await http2.close();
    }
  });
});
