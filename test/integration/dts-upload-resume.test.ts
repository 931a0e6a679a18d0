import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Blockstore } from "../../client/content/blockstore.ts";
import { contentInfoOf, fileSource } from "../../client/content/content-source.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { uploadContent } from "../../client/upload.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { DtsService } from "../../workers/dts/service.ts";

describe("PeerDTS uploads stream to disk and resume after an interruption (real server on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-upload-resume-"));
  const chunkSize = 64 * 1024;
  const data = new Uint8Array(randomBytes(40 * chunkSize + 1234));
  const file = path.join(dir, "content.bin");
  fs.writeFileSync(file, data);
  let info: Awaited<ReturnType<typeof contentInfoOf>>;
  const store = new Blockstore(path.join(dir, "node"));
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  before(async () => {
    info = await contentInfoOf(fileSource(file), chunkSize);
    server = await startDtsHttp(new DtsService(store, { uploads: async (root) => (root === info.root ? { size: info.size, chunkSize } : undefined) }));
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a file's streamed root is the root of the same bytes chunked in memory", () => {
    assert.equal(info.root, chunkContent(data, chunkSize).content.root);
    assert.equal(info.size, data.length);
  });

  it("a PUT cut off half-way keeps its whole chunks; HEAD /upload/<root> says where to resume; uploadFile sends only the rest", async () => {
    const u = new URL(server.url);
    // half the body, then the connection dies
    await new Promise<void>((resolve) => {
      const req = http.request({ host: u.hostname, port: u.port, method: "PUT", path: `/content/${info.root}`, headers: { "content-length": String(data.length) } });
      req.on("error", () => resolve());
      req.write(data.subarray(0, 20 * chunkSize + 500), () => setImmediate(() => req.destroy()));
      req.on("close", () => resolve());
    });
    let offset = 0;
    for (let tries = 0; tries < 100 && offset < 20 * chunkSize; tries++) {
      const head = await fetch(`${server.url}/upload/${info.root}`, { method: "HEAD" });
      assert.equal(head.status, 200);
      offset = Number(head.headers.get("upload-offset"));
      if (offset < 20 * chunkSize) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(offset, 20 * chunkSize, "the 20 whole chunks that arrived are kept, the torn one is not");
    assert.equal(store.has(info.root), false);
    let sentFrom = -1;
    const outcome = await uploadContent(fileSource(file), { url: server.url, root: info.root, size: info.size }, { onProgress: (b) => (sentFrom = sentFrom < 0 ? b : sentFrom) });
    assert.equal(outcome, "stored");
    assert.ok(sentFrom > offset && sentFrom <= offset + (1 << 20), `the resumed upload started after ${offset} (first progress at ${sentFrom})`);
    assert.ok(Buffer.from(store.read(info.root, 0, info.size)).equals(Buffer.from(data)));
    assert.equal((await fetch(`${server.url}/upload/${info.root}`, { method: "HEAD" })).headers.get("upload-offset"), String(info.size));
    assert.equal(await uploadContent(fileSource(file), { url: server.url, root: info.root, size: info.size }), "held");
  });

  it("a resumed upload must start at a chunk boundary the node has reached, and run to the end", async () => {
    const other = chunkContent(new Uint8Array(randomBytes(3 * chunkSize)), chunkSize).content;
    const put = (root: string, range: string, body: Uint8Array) => fetch(`${server.url}/content/${root}`, { method: "PUT", body, headers: { "content-range": range } }).then(async (r) => [r.status, (await r.text()).trim()] as const);
    assert.equal((await put(other.root, `bytes 0-${other.size - 1}/${other.size}`, new Uint8Array(other.size)))[0], 403, "not assigned");
    store.remove(info.root);
    const [s1, t1] = await put(info.root, `bytes 100-${info.size - 1}/${info.size}`, data.subarray(100));
    assert.equal(s1, 416);
    assert.match(t1, /chunk boundary/);
    const [s2, t2] = await put(info.root, `bytes ${chunkSize}-${info.size - 1}/${info.size}`, data.subarray(chunkSize));
    assert.equal(s2, 409);
    assert.match(t2, /holds 0 bytes/);
    const [s3] = await put(info.root, `bytes 0-10/${info.size}`, data.subarray(0, 11));
    assert.equal(s3, 416);
  });

  it("an upload whose chunks do not give the root is refused with 422 and nothing of it is kept", async () => {
    store.remove(info.root);
    const wrong = Buffer.from(data);
    wrong[7 * chunkSize + 3] ^= 1;
    const r = await fetch(`${server.url}/content/${info.root}`, { method: "PUT", body: wrong });
    assert.equal(r.status, 422);
    assert.match(await r.text(), /give root/);
    assert.equal(store.has(info.root), false);
    assert.equal((await fetch(`${server.url}/upload/${info.root}`, { method: "HEAD" })).headers.get("upload-offset"), "0");
  });
});
