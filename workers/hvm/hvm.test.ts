import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { compileWat, JobRefused, refuseIfTooLarge, runJob, type JobLimits } from "./index.ts";
import { resultCommitment as commitment } from "../../protocol/result-commitment.ts";

const job = async (name: string) => compileWat(await readFile(new URL(`./jobs/${name}.wat`, import.meta.url), "utf8"), `${name}.wat`);
const limits = (over: Partial<JobLimits> = {}): JobLimits => ({ maxInstructions: 10_000_000n, maxMemoryBytes: 4n << 20n, maxOutputBytes: 1024n, timeoutMs: 20_000, ...over });
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const sha256 = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash("sha256")).digest();

function fnv1a(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of data) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

describe("PeerHVM: metered WASI jobs in worker threads", () => {
  // 200 KB, so the job reads stdin in several chunks
  const input = new Uint8Array(200_000).map((_, i) => (i * 7919 + (i >> 8)) & 0xff);

  it("the checksum job prints the FNV-1a of its input, with the same compute units in three separate workers", async () => {
    const wasm = await job("checksum");
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runJob(wasm, input, limits()));
    for (const r of runs) {
      assert.equal(r.status, "ok", r.error);
      assert.equal(r.exitCode, 0);
      assert.equal(text(r.output), `${fnv1a(input)}\n`);
    }
    assert.ok(runs[0].computeUnits > 200_000n, `${runs[0].computeUnits} units for 200 KB`);
    assert.deepEqual(runs.map((r) => r.computeUnits), Array(3).fill(runs[0].computeUnits));
  });

  it("the time bomb runs out of gas at exactly the limit", async () => {
    const r = await runJob(await job("time-bomb"), new Uint8Array(), limits({ maxInstructions: 2_000_000n }));
    assert.equal(r.status, "out_of_gas");
    assert.equal(r.computeUnits, 2_000_000n);
  });

  it("with gas to spare, the time bomb is stopped by the wall clock", async () => {
    const started = Date.now();
    const r = await runJob(await job("time-bomb"), new Uint8Array(), limits({ maxInstructions: 1n << 62n, timeoutMs: 300 }));
    assert.equal(r.status, "timeout");
    assert.match(r.error!, /300 ms/);
    assert.ok(Date.now() - started < 15_000);
  });

  it("the memory bomb ends with memory_limit, deterministically", async () => {
    const wasm = await job("memory-bomb");
    const a = await runJob(wasm, new Uint8Array(), limits({ maxMemoryBytes: 8n << 20n }));
    const b = await runJob(wasm, new Uint8Array(), limits({ maxMemoryBytes: 8n << 20n }));
    assert.equal(a.status, "memory_limit");
    assert.match(a.error!, /limit of 128 pages/);
    assert.ok(a.computeUnits > 0n);
    assert.deepEqual(b, a);
  });

  it("a module's own memory maximum still makes memory.grow return -1", async () => {
    const wasm = await compileWat(`(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1 2)
      (func (export "_start")
        (if (i32.ne (memory.grow (i32.const 1)) (i32.const 1)) (then (call $exit (i32.const 1))))
        (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (call $exit (i32.const 2))))
        (call $exit (i32.const 7))))`);
    const r = await runJob(wasm, new Uint8Array(), limits());
    assert.equal(r.status, "ok", r.error);
    assert.equal(r.exitCode, 7);
  });

  it("output beyond max_output_bytes ends the job with output_limit", async () => {
    const r = await runJob(await job("checksum"), input, limits({ maxOutputBytes: 4n }));
    assert.equal(r.status, "output_limit");
    assert.equal(r.output.length, 0);
    assert.ok(r.computeUnits > 0n);
  });

  it("clocks read 0 and random bytes come from the input's hash", async () => {
    // random_get 16 bytes at 100, clock_time_get at 116, then writes those 24 bytes
    const wasm = await compileWat(`(module
      (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (drop (call $random (i32.const 100) (i32.const 16)))
        (i64.store (i32.const 116) (i64.const -1))
        (drop (call $time (i32.const 0) (i64.const 1) (i32.const 116)))
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 24))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);
    const seed = new TextEncoder().encode("job input");
    const a = await runJob(wasm, seed, limits());
    const b = await runJob(wasm, seed, limits());
    assert.equal(a.status, "ok", a.error);
    assert.deepEqual(b, a);
    const expected = Buffer.concat([sha256(sha256(seed), new Uint8Array(8)).subarray(0, 16), Buffer.alloc(8)]);
    assert.deepEqual(Buffer.from(a.output), expected);
  });

  it("refuses what is not wasm, post-MVP encodings and memory over the limit, with a clear error", async () => {
    const refused = (pattern: RegExp) => (e: unknown) => e instanceof JobRefused && pattern.test(e.message);
    await assert.rejects(runJob(new TextEncoder().encode("not wasm at all"), new Uint8Array(), limits()), refused(/not a valid WebAssembly module: .*magic word/));
    const bulk = await compileWat(`(module (memory (export "memory") 1) (func (export "_start") (memory.fill (i32.const 0) (i32.const 0) (i32.const 8))))`);
    await assert.rejects(runJob(bulk, new Uint8Array(), limits()), refused(/feature the sandbox does not meter.*0xfc/));
    await assert.rejects(runJob(await job("checksum"), input, limits({ maxMemoryBytes: 60_000n })), refused(/initial memory 65536 bytes exceeds the job's limit of 60000 bytes/));
  });

  it("refuseIfTooLarge compares the job's limits with the node's declared resources", () => {
    const l = limits({ maxMemoryBytes: 64n << 20n, maxOutputBytes: 1n << 20n });
    assert.equal(refuseIfTooLarge(l, { memoryMb: 65n, cpuMillicores: 1000n }), undefined);
    assert.match(refuseIfTooLarge(l, { memoryMb: 64n, cpuMillicores: 4000n })!, /node declares 64 MiB/);
    assert.match(refuseIfTooLarge(l, { memoryMb: 1024n, cpuMillicores: 500n })!, /millicores/);
  });

  it("the commitment a node sends (the chain's resultCommitment) is sha256 of `output_cid:compute_units:salt`", () => {
    const c = commitment("bafkreioutput", 12345n, "s3cr3t");
    // printf 'bafkreioutput:12345:s3cr3t' | sha256sum
    assert.equal(Buffer.from(c).toString("hex"), "267b8b701e4d3ac6555196b34f20fcdc76b54569e056ad4230813aa00c1b7eb5");
    assert.ok(c instanceof Uint8Array && c.length === 32);
  });
});
