import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { HashPool } from "./hash-pool.ts";

describe("hash pool: chunk hashes on worker threads are the chain's chunkHash", () => {
  it("gives chunkHash for chunks of every shape, on 2 threads and inline, and hands the bytes back unchanged", async () => {
    for (const threads of [2, 0]) {
      const pool = new HashPool(threads);
      try {
        const chunks = [0, 1, 4095, 4096, 4097, 8192 * 3 + 1, 262_144].map((n) => new Uint8Array(randomBytes(n)));
        const results = await Promise.all(chunks.map((c) => pool.hash(c)));
        results.forEach((r, i) => {
          assert.deepEqual(r.hash, chunkHash(chunks[i]), `${threads} threads, ${chunks[i].length} bytes`);
          assert.deepEqual(r.data, chunks[i]);
        });
      } finally {
        await pool.close();
      }
    }
  });

  it("a chunk whose thread dies is refused, not lost silently; later chunks hash on", async () => {
    const pool = new HashPool(1);
    // 64 MiB: the thread is still hashing when it is stopped
    const pending = pool.hash(new Uint8Array(64 * 1024 * 1024));
    await pool.close();
    await assert.rejects(pending, /exited/);
    const after = new Uint8Array(randomBytes(5000));
    assert.deepEqual((await pool.hash(after)).hash, chunkHash(after), "inline once no thread is left");
  });

  it("holds the process open only while it hashes: a program that hashed and is done exits", () => {
    const pool = fileURLToPath(new URL("./hash-pool.ts", import.meta.url));
    const code = `import { HashPool } from ${JSON.stringify(pool)}; const r = await new HashPool(1).hash(new Uint8Array(300000)); console.log("hashed", r.hash.length);`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ""}: ${r.stderr}`);
    assert.match(r.stdout, /hashed 32/);
  });
});
