import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chunkHash, verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { HttpChunkSource } from "../../client/fetch/http-source.ts";
import type { ChunkSource, ProvenChunk } from "../../client/fetch/source.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { Libp2pChunkSource } from "../../workers/dts/p2p-chunk-source.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";

const collect = async (it: AsyncIterable<ProvenChunk>) => {
  const out: ProvenChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
};

describe("PeerDTS runs: several chunks with their audit paths per request, over HTTP and libp2p (real servers on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-dts-runs-"));
  // 37 chunks of 8 KiB, the last one short: paths of several lengths
  const { content, chunks } = chunkContent(new Uint8Array(randomBytes(37 * 8192 - 100)), 8192);
  const store = new Blockstore(dir);
  const dts = new DtsService(store);
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  let nodeHost: AroHost;
  let clientHost: AroHost;
  let sources: ChunkSource[];
  before(async () => {
    store.put(content, chunks);
    server = await startDtsHttp(dts);
    nodeHost = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    await serveDtsOverLibp2p(nodeHost, dts);
    clientHost = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    sources = [new HttpChunkSource(server.url, "http"), new Libp2pChunkSource(clientHost, nodeHost.getMultiaddrs(), "libp2p")];
  });
  after(async () => {
    await Promise.all(sources?.map((s) => s.close()) ?? []);
    await server?.close();
    await clientHost?.stop();
    await nodeHost?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives each chunk of a run in order with a path the root accepts, and counts them as served", async () => {
    const root = Buffer.from(content.root, "hex");
    for (const s of sources) {
      for (const [first, count] of [[0, 1], [0, 37], [30, 7], [36, 1]]) {
        const before = dts.served.available(content.root);
        const got = await collect(s.chunks(content.root, first, count, AbortSignal.timeout(10_000)));
        assert.equal(got.length, count, `${s.id} ${first}+${count}`);
        got.forEach((c, k) => {
          assert.deepEqual(Buffer.from(c.data), Buffer.from(chunks[first + k]), `${s.id} chunk ${first + k}`);
          assert.ok(verifyChunk(root, 37n, BigInt(first + k), chunkHash(c.data), c.proof), `${s.id} chunk ${first + k} proves`);
        });
        const bytes = got.reduce((n, c) => n + c.data.length, 0);
        assert.equal(dts.served.available(content.root) - before, bytes, `${s.id}: served bytes a receipt may claim`);
      }
    }
  });

  it("refuses a run of no chunks or too many (400), past the end (416), or of content it does not hold (404), on both transports", async () => {
    const other = "ab".repeat(32);
    for (const s of sources) {
      await assert.rejects(collect(s.chunks(content.root, 0, 0, AbortSignal.timeout(10_000))), (e: Error & { status?: number }) => e.status === 400 && /a run is 1\.\.64 chunks, not 0/.test(e.message));
      await assert.rejects(collect(s.chunks(content.root, 0, 65, AbortSignal.timeout(10_000))), (e: Error & { status?: number }) => e.status === 400);
      await assert.rejects(collect(s.chunks(content.root, 30, 8, AbortSignal.timeout(10_000))), (e: Error & { status?: number }) => e.status === 416 && /outside 0\.\.36/.test(e.message));
      await assert.rejects(collect(s.chunks(other, 0, 1, AbortSignal.timeout(10_000))), (e: Error & { status?: number }) => e.status === 404);
    }
    const head = await fetch(`${server.url}/chunks/${content.root}/0/37`, { method: "HEAD" });
    assert.equal(head.status, 200);
    const body = await (await fetch(`${server.url}/chunks/${content.root}/0/37`)).arrayBuffer();
    assert.equal(Number(head.headers.get("content-length")), body.byteLength, "HEAD announces the run's exact size");
  });

  it("a consumer that stops early leaves the source usable; a chunk gone corrupt on disk cuts the run after the good ones", async () => {
    for (const s of sources) {
      for await (const c of s.chunks(content.root, 0, 20, AbortSignal.timeout(10_000))) {
        assert.equal(c.data.length, 8192);
        break;
      }
      assert.equal((await collect(s.chunks(content.root, 5, 3, AbortSignal.timeout(10_000)))).length, 3, `${s.id} after an abandoned run`);
    }
    const fd = fs.openSync(store.dataPath(content.root), "r+");
    fs.writeSync(fd, randomBytes(100), 0, 100, 12 * 8192);
    fs.closeSync(fd);
    for (const s of sources) {
      const got: ProvenChunk[] = [];
      await assert.rejects(async () => {
        for await (const c of s.chunks(content.root, 10, 5, AbortSignal.timeout(10_000))) got.push(c);
      });
      assert.equal(got.length, 2, `${s.id}: chunks 10 and 11, then the run stops at the corrupt chunk 12`);
    }
  });
});
