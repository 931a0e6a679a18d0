import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { MAX_PATH, pathLength } from "../../chain/proofs/rfc6962.ts";
import { BufferPool } from "../content/buffer-pool.ts";
import { ChunkRunDecoder, MAX_RUN_BYTES, MAX_RUN_CHUNKS, recordHead, runLimit, runWireBytes } from "./chunk-run.ts";

const hashes = (n: number) => Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
const record = (proof: Uint8Array[], data: Uint8Array) => Buffer.concat([recordHead(proof, data.length), data]);

describe("chunk runs: several chunks with their audit paths in one answer", () => {
  it("decodes records split at every byte boundary, each chunk in its own buffer", () => {
    const chunks = [new Uint8Array(randomBytes(5000)), new Uint8Array(0), new Uint8Array(randomBytes(4096))];
    const proofs = [hashes(3), hashes(0), hashes(MAX_PATH)];
    const wire = Buffer.concat(chunks.map((c, i) => record(proofs[i], c)));
    for (const piece of [1, 7, 33, 4097, wire.length]) {
      const d = new ChunkRunDecoder(3);
      const out = [];
      for (let at = 0; at < wire.length; at += piece) out.push(...d.push(wire.subarray(at, at + piece)));
      d.end();
      assert.equal(out.length, 3, `pieces of ${piece}`);
      out.forEach((c, i) => {
        assert.deepEqual(Buffer.from(c.data), Buffer.from(chunks[i]));
        assert.deepEqual(c.proof.map((p) => Buffer.from(p)), proofs[i].map((p) => Buffer.from(p)));
        assert.equal(c.data.byteOffset, 0, "a chunk starts its own buffer (movable to a hashing thread)");
      });
    }
  });

  it("refuses a path over MAX_PATH, a chunk over the limit, records past those asked for, and a run cut short", () => {
    const long = Buffer.from([MAX_PATH + 1]);
    assert.throws(() => new ChunkRunDecoder(1).push(long), /audit path of 65 hashes/);
    assert.throws(() => new ChunkRunDecoder(1, undefined, 100).push(record([], new Uint8Array(101))), /101 bytes is over 100/);
    const two = Buffer.concat([record([], new Uint8Array(3)), record([], new Uint8Array(3))]);
    assert.throws(() => new ChunkRunDecoder(1).push(two), /more than the 1 chunks/);
    const cut = new ChunkRunDecoder(2);
    cut.push(two.subarray(0, two.length - 1));
    assert.throws(() => cut.end(), /ended after 1 of 2/);
    const none = new ChunkRunDecoder(1);
    assert.throws(() => none.end(), /ended after 0 of 1/);
  });

  it("puts chunks in the buffers it is given (a pool reuses them once handed back)", () => {
    const pool = new BufferPool(8192, 2);
    const d = new ChunkRunDecoder(2, (n) => pool.take(n));
    const [a, b] = d.push(Buffer.concat([record([], new Uint8Array(8192).fill(1)), record([], new Uint8Array(100).fill(2))]));
    assert.equal(a.data.buffer.byteLength, 8192);
    assert.equal(b.data.length, 100);
    assert.equal(b.data.buffer.byteLength, 8192, "a short chunk is a view of a pooled buffer");
    pool.give(a.data);
    assert.equal(pool.take(10).buffer, a.data.buffer, "handed back, taken again");
    assert.equal(pool.take(9000).buffer.byteLength, 9000, "larger than the pool's size: a buffer of its own");
  });

  it("knows a run's wire size before reading it, and bounds runs by chunks and bytes", () => {
    const chunks = 1000;
    const size = 1000 * 262_144 - 5;
    const lengthOf = (i: number) => Math.min(262_144, size - i * 262_144);
    let wire = 0;
    for (let i = 990; i < 1000; i++) wire += recordHead(hashes(pathLength(BigInt(i), BigInt(chunks))), lengthOf(i)).length + lengthOf(i);
    assert.equal(runWireBytes(990, 10, chunks, lengthOf), wire);
    assert.equal(runLimit(262_144), MAX_RUN_CHUNKS);
    assert.equal(runLimit(MAX_RUN_BYTES), 1);
    assert.equal(runLimit(4 * 1024 * 1024), 4);
  });
});
