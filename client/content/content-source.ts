import fs from "node:fs";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { leafHash } from "../../chain/proofs/rfc6962.ts";
import type { ContentInfo } from "./manifest.ts";
import { StreamingRoot } from "./tree-file.ts";
import { Chunker } from "./chunker.ts";

/** Content to publish, read as a stream from any offset: a file, bytes in memory, or several of them one after another (a collection). */
export interface ContentSource {
  readonly size: number;
  /** the bytes from `start` to the end, in pieces of any size */
  open(start: number): AsyncIterable<Uint8Array>;
}

export function bytesSource(data: Uint8Array): ContentSource {
  return {
    size: data.length,
    async *open(start) {
      if (start < data.length) yield data.subarray(start);
    },
  };
}

export function fileSource(file: string, size = fs.statSync(file).size): ContentSource {
  return {
    size,
    async *open(start) {
      if (start >= size) return;
      let read = 0;
      for await (const piece of fs.createReadStream(file, { start, end: size - 1, highWaterMark: 1 << 20 })) {
        read += (piece as Buffer).length;
        yield piece as Buffer;
      }
      if (read !== size - start) throw new Error(`${file} changed while being read`);
    },
  };
}

/** Sources one after another, as one content. */
export function concatSource(parts: readonly ContentSource[]): ContentSource {
  return {
    size: parts.reduce((n, p) => n + p.size, 0),
    async *open(start) {
      let at = 0;
      for (const p of parts) {
        if (start < at + p.size) yield* p.open(Math.max(0, start - at));
        at += p.size;
      }
    },
  };
}

/**
 * The chunk tree of bytes pushed in pieces of any size: memory is one chunk and the tree's
 * O(log n) peaks. `end` gives the content's root, size and chunk size.
 */
export class ChunkHasher {
  private readonly tree = new StreamingRoot();
  private readonly chunker: Chunker;

  constructor(readonly chunkSize: number) {
    this.chunker = new Chunker(chunkSize, (chunk) => this.tree.push(leafHash(chunkHash(chunk))));
  }

  /** bytes pushed so far */
  get size(): number {
    return this.chunker.size;
  }

  push(piece: Uint8Array): void {
    this.chunker.push(piece);
  }

  end(): ContentInfo {
    this.chunker.end();
    if (this.size === 0) throw new Error("content is empty: there is nothing to publish");
    return { root: Buffer.from(this.tree.root()).toString("hex"), size: this.size, chunkSize: this.chunkSize };
  }
}

/** The root, size and chunk size of a source, read once as a stream; `onProgress` gets the bytes hashed so far. */
export async function contentInfoOf(source: ContentSource, chunkSize: number, onProgress?: (bytes: number, size: number) => void): Promise<ContentInfo> {
  const h = new ChunkHasher(chunkSize);
  for await (const piece of source.open(0)) {
    h.push(piece);
    onProgress?.(h.size, source.size);
  }
  if (h.size !== source.size) throw new Error(`the content gave ${h.size} bytes, not ${source.size}`);
  return h.end();
}
