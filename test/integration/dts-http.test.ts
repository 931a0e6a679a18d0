import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { storageProofFailure } from "../../chain/proofs/storage-proof.ts";
import { challengeFailure, identityFromKey, newNonce } from "../../workers/dts/challenge.ts";
import { probeHttp } from "../../workers/dts/probe.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent, chunkProof } from "../../client/content/chunks.ts";
import { storageAnswer } from "../../workers/gpow/storage-answer.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
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

  it("a storage answer built from the blockstore's chunk (segment bytes and both branches) is what the chain accepts", () => {
    // 8 KiB chunks of two 4 KiB segments, the last chunk 1808 bytes
    const big = chunkContent(new Uint8Array(randomBytes(20_192)), 8192);
    store.put(big.content, big.chunks);
    const shape = { root: Buffer.from(big.content.root, "hex"), size: 20_192n, chunkSize: 8192n };
    let answered = 0;
    for (let i = 0; i < 3; i++) {
      for (let s = 0; s * 4096 < store.chunk(big.content.root, i).length; s++) {
        const a = storageAnswer(store.chunk(big.content.root, i), store.proof(big.content.root, i), s);
        const proof = { chunkIndex: BigInt(i), segmentIndex: BigInt(s), segment: a.segment, segmentBranch: a.segmentBranch, chunkBranch: a.branch };
        assert.equal(storageProofFailure(shape, proof), undefined, `chunk ${i} segment ${s}`);
        assert.deepEqual(a.segment, big.chunks[i].subarray(s * 4096, (s + 1) * 4096));
        answered++;
      }
    }
    assert.equal(answered, 5);
    // the manifest alone (chunk hashes, what a proof carried before) cannot answer: the bytes are the proof
    assert.match(storageProofFailure(shape, { chunkIndex: 0n, segmentIndex: 0n, segment: big.content.chunkHashes[0], segmentBranch: [], chunkBranch: chunkProof(big.content, 0) })!, /is 4096 bytes, got 32/);
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
  });

  it("never serves a chunk that no longer matches its hash", async () => {
    const fd = fs.openSync(store.dataPath(content.root), "r+");
    fs.writeSync(fd, randomBytes(1024), 0, 1024, 3 * 1024);
    fs.closeSync(fd);
    const r = await fetch(`${server.url}/chunk/${content.root}/3`);
    assert.equal(r.status, 500);
    assert.match(await r.text(), /corrupt on disk/);
    assert.equal((await fetch(`${server.url}/chunk/${content.root}/2`)).status, 200);
  });
});

describe("PeerDTS: the node challenge (GET /challenge) that watchers and routing probe with (real server on 127.0.0.1)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-dts-challenge-"));
  let server: Awaited<ReturnType<typeof startDtsHttp>>;
  let anonymous: Awaited<ReturnType<typeof startDtsHttp>>;
  let peerId: string;
  before(async () => {
    const key = await generateKeyPair("Ed25519");
    peerId = peerIdFromPrivateKey(key).toString();
    server = await startDtsHttp(new DtsService(new Blockstore(path.join(dir, "a")), { identity: identityFromKey(key, peerId) }));
    anonymous = await startDtsHttp(new DtsService(new Blockstore(path.join(dir, "b"))));
  });
  after(async () => {
    await server?.close();
    await anonymous?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("signs a fresh nonce with the node's libp2p key, which only that peer id verifies", async () => {
    const nonce = newNonce();
    const r = await fetch(`${server.url}/challenge?nonce=${Buffer.from(nonce).toString("hex")}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "no-store");
    const answer = await r.json();
    assert.equal(await challengeFailure(answer, peerId, nonce), undefined);
    assert.match((await challengeFailure(answer, peerId, newNonce()))!, /does not verify/, "an answer for another nonce is worthless");
    const other = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    assert.match((await challengeFailure(answer, other, nonce))!, /answered as peer/);
    assert.match((await challengeFailure({ ...(answer as object), peerId: other }, other, nonce))!, /does not verify/, "claiming another peer id does not help");
    assert.match((await challengeFailure("ok", peerId, nonce))!, /malformed/);
  });

  it("refuses a bad nonce (400), and a server with no node identity has nothing to answer with (404)", async () => {
    for (const q of ["", "?nonce=", "?nonce=abc", `?nonce=${"G".repeat(64)}`, `?nonce=${"a".repeat(66)}`]) {
      const r = await fetch(`${server.url}/challenge${q}`);
      assert.equal(r.status, 400, q);
      assert.match(await r.text(), /nonce must be 64 lowercase hex digits/);
    }
    assert.equal((await fetch(`${anonymous.url}/challenge?nonce=${"a".repeat(64)}`)).status, 404);
  });

  it("probeHttp counts a node as answering only if it signs as the peer id it registered", async () => {
    const ok = await probeHttp(server.url, undefined, { timeoutMs: 3000, peerId });
    assert.equal(ok.answered, true, ok.failure);
    assert.ok(ok.latencyMs >= 0);
    const stranger = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    const wrong = await probeHttp(server.url, undefined, { timeoutMs: 3000, peerId: stranger });
    assert.equal(wrong.answered, false);
    assert.match(wrong.failure!, /answered as peer/);
    const none = await probeHttp(anonymous.url, undefined, { timeoutMs: 3000, peerId });
    assert.equal(none.answered, false);
    assert.match(none.failure!, /HTTP 404/);
    assert.equal((await probeHttp(anonymous.url, undefined, { timeoutMs: 3000 })).answered, true, "without a peer id, /health is asked for");
  });
});
