import { MAX_PATH, pathLength } from "../../chain/proofs/rfc6962.ts";
import { MAX_CHUNK_SIZE } from "../content/manifest.ts";
import type { ProvenChunk } from "./source.ts";

/**
 * A run of consecutive chunks in one answer (HTTP GET /chunks/<root>/<first>/<count>, the
 * libp2p op "chunks"): one request per run instead of one per chunk, which is what lets a
 * client take a large content at disk and hashing speed. Each chunk is a record:
 *
 *   u8 n | n × 32-byte audit path (leaf up) | u32 big-endian length | the chunk's bytes
 *
 * The client checks every chunk against the root with its path, as for a single chunk.
 */

/** The most chunks one run may ask for. */
export const MAX_RUN_CHUNKS = 64;
/** The most chunk bytes one run may carry (fewer chunks when they are large). */
export const MAX_RUN_BYTES = 16 * 1024 * 1024;

/** How many chunks of `chunkSize` a run may hold: at least 1, at most MAX_RUN_CHUNKS and MAX_RUN_BYTES. */
export const runLimit = (chunkSize: number): number => Math.max(1, Math.min(MAX_RUN_CHUNKS, Math.floor(MAX_RUN_BYTES / chunkSize)));

/** The bytes before a chunk's data in its record. */
export function recordHead(proof: readonly Uint8Array[], length: number): Buffer {
  const head = Buffer.allocUnsafe(1 + 32 * proof.length + 4);
  head[0] = proof.length;
  proof.forEach((p, i) => head.set(p, 1 + 32 * i));
  head.writeUInt32BE(length, 1 + 32 * proof.length);
  return head;
}

/** A run's size on the wire, before it is read (its Content-Length): every path length follows from the chunk's index and the count. */
export function runWireBytes(first: number, count: number, chunks: number, lengthOf: (index: number) => number): number {
  let n = 0;
  for (let i = first; i < first + count; i++) n += 1 + 32 * pathLength(BigInt(i), BigInt(chunks)) + 4 + lengthOf(i);
  return n;
}

/**
 * Reads records as the bytes arrive, in pieces of any size: each whole chunk is returned
 * at the start of its own ArrayBuffer (so it can be moved to a hashing thread without a copy). Refuses
 * a path longer than MAX_PATH, a chunk over `maxChunk`, or more than `expected` records.
 */
export class ChunkRunDecoder {
  private head = Buffer.alloc(1 + 32 * MAX_PATH + 4);
  private headHave = 0;
  private headNeed = 1;
  private proof: Uint8Array[] = [];
  private data?: Uint8Array;
  private dataHave = 0;
  private got = 0;

  /** `alloc`: where each chunk's bytes go (default: a fresh buffer each; a BufferPool's `take` reuses them). */
  constructor(private readonly expected: number, private readonly alloc: (length: number) => Uint8Array = (n) => new Uint8Array(n), private readonly maxChunk = MAX_CHUNK_SIZE) {}

  /** The chunks completed by this piece. */
  push(piece: Uint8Array): ProvenChunk[] {
    const out: ProvenChunk[] = [];
    let at = 0;
    while (at < piece.length) {
      if (this.data) {
        const take = Math.min(piece.length - at, this.data.length - this.dataHave);
        this.data.set(piece.subarray(at, at + take), this.dataHave);
        this.dataHave += take;
        at += take;
        if (this.dataHave === this.data.length) this.complete(out);
        continue;
      }
      if (this.got >= this.expected) throw new Error(`the run has more than the ${this.expected} chunks asked for`);
      const take = Math.min(piece.length - at, this.headNeed - this.headHave);
      this.head.set(piece.subarray(at, at + take), this.headHave);
      this.headHave += take;
      at += take;
      if (this.headHave < this.headNeed) continue;
      if (this.headNeed === 1) {
        const n = this.head[0];
        if (n > MAX_PATH) throw new Error(`a chunk's audit path of ${n} hashes is over ${MAX_PATH}`);
        this.headNeed = 1 + 32 * n + 4;
        continue;
      }
      const n = this.head[0];
      const length = this.head.readUInt32BE(1 + 32 * n);
      if (length > this.maxChunk) throw new Error(`a chunk of ${length} bytes is over ${this.maxChunk}`);
      this.proof = Array.from({ length: n }, (_, i) => new Uint8Array(this.head.subarray(1 + 32 * i, 33 + 32 * i)));
      this.data = this.alloc(length);
      this.dataHave = 0;
      if (length === 0) this.complete(out);
    }
    return out;
  }

  /** Throws unless every chunk asked for arrived whole. */
  end(): void {
    if (this.got !== this.expected || this.data || this.headHave > 0) throw new Error(`the run ended after ${this.got} of ${this.expected} chunks`);
  }

  private complete(out: ProvenChunk[]): void {
    out.push({ data: this.data!, proof: this.proof });
    this.data = undefined;
    this.headHave = 0;
    this.headNeed = 1;
    this.got++;
  }
}
