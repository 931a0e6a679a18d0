import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blockstore } from "./blockstore.ts";
import { chunkContent, chunkProof } from "./chunks.ts";
import { manifestToJson } from "./manifest.ts";

describe("Blockstore: one data file and one chunk tree per content", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-store-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sample = () => {
    const data = new Uint8Array(randomBytes(10 * 1024 + 77));
    return { data, ...chunkContent(data, 1024) };
  };

  it("keeps the content's bytes as its data file and serves every chunk with the audit path the in-memory tree gives", () => {
    const { data, content, chunks } = sample();
    const store = new Blockstore(dir);
    store.put(content, chunks);
    assert.ok(fs.readFileSync(store.dataPath(content.root)).equals(Buffer.from(data)));
    assert.deepEqual(store.manifest(content.root), manifestToJson(content));
    for (let i = 0; i < chunks.length; i++) {
      assert.deepEqual(store.chunk(content.root, i), chunks[i]);
      assert.deepEqual(store.proof(content.root, i).map((b) => new Uint8Array(b)), chunkProof(content, i));
    }
    assert.deepEqual(new Blockstore(dir).list(), [content.root], "a new store over the folder finds it");
  });

  it("refuses a chunk whose audit path does not lead to the root, and one of the wrong length", () => {
    const { content, chunks } = sample();
    const store = new Blockstore(dir);
    store.begin(content);
    const bad = new Uint8Array(chunks[2]);
    bad[0] ^= 1;
    assert.throws(() => store.writeChunk(content.root, 2, bad, chunkProof(content, 2)), /does not match its hash/);
    assert.throws(() => store.writeChunk(content.root, 2, chunks[2], chunkProof(content, 3)), /does not match its hash/);
    assert.throws(() => store.writeChunk(content.root, 2, chunks[2].subarray(1), chunkProof(content, 2)), /must be 1024 bytes/);
    store.writeChunk(content.root, 2, chunks[2], chunkProof(content, 2));
    assert.equal(store.heldChunks(content.root).count, 1);
  });

  it("writeChunkAsync checks a chunk before writing it, and a content's files outlive being pushed out of the open set while writes are in flight", async () => {
    const { data, content, chunks } = sample();
    const store = new Blockstore(dir);
    store.begin(content);
    const bad = new Uint8Array(chunks[1]);
    bad[5] ^= 1;
    await assert.rejects(store.writeChunkAsync(content.root, 1, bad, chunkProof(content, 1)), /does not match its hash/);
    assert.equal(store.heldChunks(content.root).count, 0, "nothing written for a refused chunk");
    const writes = chunks.map((c, i) => store.writeChunkAsync(content.root, i, c, chunkProof(content, i)));
    // 40 other contents begun while those writes are on the thread pool: this one's files are closed for the LRU meanwhile
    for (let k = 0; k < 40; k++) {
      const other = chunkContent(new Uint8Array(randomBytes(100 + k)), 1024);
      store.begin(other.content);
      store.writeChunk(other.content.root, 0, other.chunks[0]);
    }
    await Promise.all(writes);
    assert.equal(store.heldChunks(content.root).count, chunks.length, "every leaf written after its bytes");
    store.finish(content.root);
    assert.ok(fs.readFileSync(store.dataPath(content.root)).equals(Buffer.from(data)));
  });

  it("chunkInto reads a chunk into the caller's buffer, checked against its leaf, and refuses one too small", () => {
    const { content, chunks } = sample();
    const store = new Blockstore(dir);
    store.put(content, chunks);
    const buf = new Uint8Array(4096);
    const last = chunks.length - 1;
    const got = store.chunkInto(content.root, last, buf);
    assert.equal(got.buffer, buf.buffer);
    assert.deepEqual(new Uint8Array(got), chunks[last]);
    assert.throws(() => store.chunkInto(content.root, 0, new Uint8Array(10)), /10-byte buffer cannot take chunk 0/);
    const fresh = new Blockstore(dir);
    const fd = fs.openSync(fresh.dataPath(content.root), "r+");
    fs.writeSync(fd, Buffer.from([0xff ^ chunks[2][0]]), 0, 1, 2 * 1024);
    fs.closeSync(fd);
    assert.throws(() => fresh.chunkInto(content.root, 2, buf), /corrupt on disk/);
  });

  it("finishing chunks that do not rebuild the root (an unproven upload) deletes them", () => {
    const { content, chunks } = sample();
    const store = new Blockstore(dir);
    store.begin(content);
    chunks.forEach((c, i) => store.writeChunk(content.root, i, i === 4 ? new Uint8Array(c.length) : c));
    assert.throws(() => store.finish(content.root), /give root .* deleted/);
    assert.equal(store.has(content.root), false);
    assert.equal(fs.existsSync(path.join(dir, content.root)), false);
  });

  it("a content being received cannot change size; moveOut hands the bytes over and forgets them", () => {
    const { data, content, chunks } = sample();
    const store = new Blockstore(dir);
    store.begin(content);
    assert.throws(() => store.begin({ ...content, size: content.size + 1 }), /is being received as/);
    chunks.forEach((c, i) => store.writeChunk(content.root, i, c, chunkProof(content, i)));
    store.finish(content.root);
    const out = path.join(dir, "out.bin");
    store.moveOut(content.root, out);
    assert.ok(fs.readFileSync(out).equals(Buffer.from(data)));
    assert.equal(store.has(content.root), false);
  });

  it("converts a content folder of the first layout (a hash list and one file per chunk) and drops a broken one", () => {
    const { data, content, chunks } = sample();
    const broken = sample();
    for (const [c, parts, corrupt] of [[content, chunks, false], [broken.content, broken.chunks, true]] as const) {
      const folder = path.join(dir, c.root);
      fs.mkdirSync(folder);
      parts.forEach((p, i) => fs.writeFileSync(path.join(folder, `${i}.chunk`), corrupt && i === 1 ? new Uint8Array(p.length) : p));
      fs.writeFileSync(path.join(folder, "manifest.json"), JSON.stringify({ root: c.root, size: c.size, chunkSize: c.chunkSize, chunkHashes: c.chunkHashes.map((h) => Buffer.from(h).toString("hex")) }));
    }
    const store = new Blockstore(dir);
    assert.deepEqual(store.list(), [content.root]);
    assert.ok(Buffer.from(store.read(content.root, 0, content.size)).equals(Buffer.from(data)));
    assert.deepEqual(fs.readdirSync(path.join(dir, content.root)).sort(), ["data", "manifest.json", "tree"]);
    assert.equal(fs.existsSync(path.join(dir, broken.content.root)), false);
  });
});
