import os from "node:os";
import { Worker } from "node:worker_threads";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { SEGMENT_SIZE } from "../../chain/proofs/segments.ts";

/**
 * Chunk hashes computed on worker threads, so a verifying download is not held to one
 * core's chunkHash rate. The workers' code is a few lines of plain JS over node:crypto (no
 * module loading, so it runs the same from sources and from the CLI bundle); the chain's
 * chunkHash (chain/proofs/segments.ts) is the definition, and hash-pool.test.ts checks
 * they agree. With no threads (or if a worker cannot start) hashing runs inline.
 */
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");
const SEG = ${SEGMENT_SIZE};
const seg = Buffer.alloc(1 + SEG);
const node = Buffer.alloc(65);
node[0] = 1;
// hashes as latin1 strings: node:crypto gives a string about 1 µs faster than a Buffer
parentPort.on("message", ({ id, data, length }) => {
  const bytes = new Uint8Array(data, 0, length);
  let level = [];
  for (let off = 0; off < bytes.length; off += SEG) {
    const part = bytes.subarray(off, off + SEG);
    seg.set(part, 1);
    level.push(hash("sha256", seg.subarray(0, 1 + part.length), "latin1"));
  }
  if (level.length === 0) level = [hash("sha256", Buffer.alloc(0), "latin1")];
  while (level.length > 1) {
    const up = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      node.write(level[i], 1, "latin1");
      node.write(level[i + 1], 33, "latin1");
      up.push(hash("sha256", node, "latin1"));
    }
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
  }
  parentPort.postMessage({ id, data, length, hash: Buffer.from(level[0], "latin1") }, [data]);
});
`;

/** Worker threads a download hashes on by default: the cores beyond this one, at most 4. */
export const defaultHashThreads = (): number => Math.max(0, Math.min(4, os.availableParallelism() - 1));

export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: { data: Uint8Array; hash: Uint8Array }) => void; reject: (e: Error) => void; worker: Worker }>();
  private readonly busy = new Map<Worker, number>();
  private next = 0;
  private turn = 0;

  constructor(threads = defaultHashThreads()) {
    for (let i = 0; i < threads; i++) {
      try {
        // no inherited flags (a loader, --input-type=module): the code is plain CommonJS
        const w = new Worker(WORKER, { eval: true, execArgv: [] });
        w.on("message", (m: { id: number; data: ArrayBuffer; length: number; hash: Uint8Array }) => {
          const done = this.pending.get(m.id);
          this.pending.delete(m.id);
          this.settle(w);
          done?.resolve({ data: new Uint8Array(m.data, 0, m.length), hash: new Uint8Array(m.hash) });
        });
        // a worker that dies takes its chunks with it (their sources fetch them again); the rest hash on the others, or inline
        w.on("error", (err) => this.lose(w, err));
        w.on("exit", () => this.lose(w, new Error("a hashing thread exited")));
        // referenced only while it has work: an idle pool never holds the process open
        w.unref();
        this.busy.set(w, 0);
        this.workers.push(w);
      } catch {
        break; // hash inline
      }
    }
  }

  /**
   * The chunk's hash, and its bytes (moved to the worker and back: use the returned ones).
   * `transfer`: the bytes' whole ArrayBuffer is the caller's to give away (a BufferPool's),
   * so when they start it, it moves to the thread and back without a copy (and is
   * detached here meanwhile).
   */
  async hash(data: Uint8Array, o: { transfer?: boolean } = {}): Promise<{ data: Uint8Array; hash: Uint8Array }> {
    if (this.workers.length === 0) return { data, hash: chunkHash(data) };
    const movable = o.transfer && data.byteOffset === 0 && data.buffer instanceof ArrayBuffer;
    // else a private copy travels (the original may share its memory with other buffers)
    const own = movable ? (data.buffer as ArrayBuffer) : new Uint8Array(data).buffer;
    const id = this.next++;
    const w = this.workers[this.turn++ % this.workers.length];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w });
      if ((this.busy.get(w) ?? 0) === 0) w.ref();
      this.busy.set(w, (this.busy.get(w) ?? 0) + 1);
      w.postMessage({ id, data: own, length: data.length }, [own]);
    });
  }

  /** One answer in from `w`: unreferenced again once it has nothing left to do. */
  private settle(w: Worker): void {
    const left = (this.busy.get(w) ?? 1) - 1;
    this.busy.set(w, left);
    if (left === 0) w.unref();
  }

  private lose(w: Worker, err: Error): void {
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    for (const [id, p] of this.pending) {
      if (p.worker !== w) continue;
      this.pending.delete(id);
      p.reject(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

let shared: HashPool | undefined;

/** One pool per process, started on first use (its threads do not keep the process alive). */
export function sharedHashPool(): HashPool {
  shared ??= new HashPool();
  return shared;
}
