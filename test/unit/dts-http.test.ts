import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { Blockstore } from "../../workers/dts/blockstore.ts";
import { chunkContent, chunkProof } from "../../workers/dts/content.ts";
import { parseRange, startDtsHttp } from "../../workers/dts/http-server.ts";
import { DtsService } from "../../workers/dts/service.ts";

describe("PeerDTS: chunked content, a verifying blockstore and HTTP with Range (real server on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-dts-"));
  const data = new Uint8Array(randomBytes(10_000));
  const { content, chunks } = chunkContent(data, 1024);
  const store = new Blockstore(dir);
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  before(async () => {
    store.put(content, chunks);
    server = await startDtsHttp(new DtsService(store));
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("chunks carry proofs the chain's storage check accepts", () => {
    assert.equal(content.chunkHashes.length, 10);
    const root = Buffer.from(content.root, "hex");
    for (let i = 0; i < 10; i++) assert.ok(verifyChunk(root, 10n, BigInt(i), content.chunkHashes[i], chunkProof(content, i)));
  });

  it("serves the whole content, byte ranges (206) and refuses unsatisfiable ranges (416)", async () => {
    const whole = await fetch(`${server.url}/content/${content.root}`);
    assert.equal(whole.status, 200);
    assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), data);
    const part = await fetch(`${server.url}/content/${content.root}`, { headers: { range: "bytes=1000-3047" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 1000-3047/10000");
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), data.subarray(1000, 3048));
    const tail = await fetch(`${server.url}/content/${content.root}`, { headers: { range: "bytes=-100" } });
    assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), data.subarray(9900));
    assert.equal((await fetch(`${server.url}/content/${content.root}`, { headers: { range: "bytes=20000-" } })).status, 416);
    assert.equal((await fetch(`${server.url}/content/${"0".repeat(64)}`)).status, 404);
    assert.equal(parseRange("bytes=5-2", 10), undefined);
  });

  it("never serves a chunk that no longer matches its hash", async () => {
    fs.writeFileSync(path.join(dir, content.root, "3.chunk"), randomBytes(1024));
    const r = await fetch(`${server.url}/chunk/${content.root}/3`);
    assert.equal(r.status, 500);
    assert.match(await r.text(), /corrupt on disk/);
    assert.equal((await fetch(`${server.url}/chunk/${content.root}/2`)).status, 200);
  });
});
