import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { prepareCollection, type PreparedCollection } from "../../client/content/collection-source.ts";
import { fetchCollectionFile } from "../../client/fetch/collection-fetch.ts";
import { HttpChunkSource } from "../../client/fetch/http-source.ts";
import { uploadContent } from "../../client/upload.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { DtsService } from "../../workers/dts/service.ts";

describe("collections: a folder published as one content, one file served and fetched by path (real server on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-collection-"));
  const folder = path.join(dir, "model");
  const chunkSize = 64 * 1024;
  const weights = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
  const files: Record<string, Uint8Array> = {
    "config.json": new TextEncoder().encode(JSON.stringify({ hidden_size: 64 })),
    "index.html": new TextEncoder().encode("<!doctype html><title>aro</title>"),
    "model.safetensors": weights,
    "tokenizer/vocab nü.txt": new TextEncoder().encode("a\nb\nc\n"),
  };
  const store = new Blockstore(path.join(dir, "node"));
  let served = 0;
  let prepared: PreparedCollection;
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  before(async () => {
    for (const [p, bytes] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, p)), { recursive: true });
      fs.writeFileSync(path.join(folder, p), bytes);
    }
    prepared = await prepareCollection(folder, chunkSize);
    server = await startDtsHttp(new DtsService(store, { onServed: (e) => void (served += e.bytes), uploads: async (root) => (root === prepared.info.root ? { size: prepared.info.size, chunkSize } : undefined) }));
    assert.equal(await uploadContent(prepared.source, { url: server.url, root: prepared.info.root, size: prepared.info.size }), "stored");
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the directory lists every file sorted, with its offset, size, media type and sha256; the whole content is the files then the directory", () => {
    assert.deepEqual(prepared.directory.files.map((f) => [f.path, f.size, f.mediaType]), [
      ["config.json", files["config.json"].length, "application/json"],
      ["index.html", files["index.html"].length, "text/html; charset=utf-8"],
      ["model.safetensors", weights.length, "application/octet-stream"],
      ["tokenizer/vocab nü.txt", 6, "text/plain; charset=utf-8"],
    ]);
    const whole = fs.readFileSync(store.dataPath(prepared.info.root));
    for (const f of prepared.directory.files) {
      assert.equal(createHash("sha256").update(whole.subarray(f.offset, f.offset + f.size)).digest("hex"), f.sha256);
      assert.ok(whole.subarray(f.offset, f.offset + f.size).equals(Buffer.from(files[f.path])));
    }
    assert.equal(chunkContent(new Uint8Array(whole), chunkSize).content.root, prepared.info.root);
  });

  it("GET /content/<root>/<path> serves one file with its media type, name and sha256 ETag; a folder path serves index.html; 304, HEAD and 404 as expected", async () => {
    const base = `${server.url}/content/${prepared.info.root}`;
    const cfg = await fetch(`${base}/config.json`);
    assert.equal(cfg.status, 200);
    assert.equal(cfg.headers.get("content-type"), "application/json");
    const sha = prepared.directory.files[0].sha256;
    assert.equal(cfg.headers.get("etag"), `"${sha}"`);
    assert.match(cfg.headers.get("content-disposition")!, /filename="config.json"/);
    assert.deepEqual(new Uint8Array(await cfg.arrayBuffer()), files["config.json"]);
    const vocab = await fetch(`${base}/tokenizer/${encodeURIComponent("vocab nü.txt")}`);
    assert.deepEqual(new Uint8Array(await vocab.arrayBuffer()), files["tokenizer/vocab nü.txt"]);
    const index = await fetch(`${base}/`);
    assert.equal(index.headers.get("content-type"), "text/html; charset=utf-8");
    assert.deepEqual(new Uint8Array(await index.arrayBuffer()), files["index.html"]);
    assert.equal((await fetch(`${base}/config.json`, { headers: { "if-none-match": `"${sha}"` } })).status, 304);
    const part = await fetch(`${base}/model.safetensors`, { headers: { range: "bytes=1000000-1000099" } });
    assert.equal(part.status, 206);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), weights.subarray(1_000_000, 1_000_100));
    const head = await fetch(`${base}/model.safetensors`, { method: "HEAD" });
    assert.equal(head.headers.get("content-length"), String(weights.length));
    assert.equal((await fetch(`${base}/missing.bin`)).status, 404);
    assert.equal((await fetch(`${base}/%E0%A4%A`)).status, 400);
  });

  it("a client fetches one file by path, and one byte range of the weights, fetching and checking only the chunks under them", async () => {
    const client = new Blockstore(path.join(dir, "client"));
    const source = new HttpChunkSource(server.url, "node");
    const before = served;
    const f = await fetchCollectionFile({ root: prepared.info.root, sources: [source], store: client, path: "config.json" });
    assert.deepEqual(client.read(prepared.info.root, f.window.start, f.window.end), files["config.json"]);
    assert.equal(f.result.complete, false);
    const r = await fetchCollectionFile({ root: prepared.info.root, sources: [source], store: client, path: "model.safetensors", range: { start: 2_000_000, end: 2_100_000 } });
    assert.deepEqual(client.read(prepared.info.root, r.window.start, r.window.end), weights.subarray(2_000_000, 2_100_000));
    const chunksFetched = client.heldChunks(prepared.info.root).count;
    assert.ok(chunksFetched <= 5, `${chunksFetched} of ${Math.ceil(prepared.info.size / chunkSize)} chunks fetched`);
    assert.ok(served - before <= 5 * chunkSize, `the node served ${served - before} bytes`);
    await assert.rejects(fetchCollectionFile({ root: prepared.info.root, sources: [source], store: client, path: "nope" }), /has no file "nope"/);
  });

  it("a content that is not a collection has no paths", async () => {
    const plain = chunkContent(new Uint8Array(randomBytes(5000)), chunkSize);
    store.put(plain.content, plain.chunks);
    const r = await fetch(`${server.url}/content/${plain.content.root}/x`);
    assert.equal(r.status, 404);
    assert.match(await r.text(), /not a collection/);
  });
});
