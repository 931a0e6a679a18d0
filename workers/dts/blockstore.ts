import fs from "node:fs";
import path from "node:path";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import type { ChunkedContent } from "./content.ts";

/**
 * A node's local content store: one folder per content root, its manifest (sizes and
 * chunk hashes) and one file per chunk. Every chunk read back is checked against the
 * manifest, so a corrupted disk never serves bad bytes silently.
 */
export class Blockstore {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private folder(root: string): string {
    if (!/^[0-9a-f]{64}$/.test(root)) throw new Error(`content root must be 64 hex digits, got ${JSON.stringify(root)}`);
    return path.join(this.dir, root);
  }

  put(content: ChunkedContent, chunks: readonly Uint8Array[]): void {
    const dir = this.folder(content.root);
    fs.mkdirSync(dir, { recursive: true });
    chunks.forEach((c, i) => fs.writeFileSync(path.join(dir, `${i}.chunk`), c));
    const manifest = { root: content.root, size: content.size, chunkSize: content.chunkSize, chunkHashes: content.chunkHashes.map((h) => Buffer.from(h).toString("hex")) };
    // the manifest last: a content is present only once all its chunks are
    fs.writeFileSync(path.join(dir, "manifest.json.tmp"), JSON.stringify(manifest));
    fs.renameSync(path.join(dir, "manifest.json.tmp"), path.join(dir, "manifest.json"));
  }

  manifest(root: string): ChunkedContent | undefined {
    const file = path.join(this.folder(root), "manifest.json");
    if (!fs.existsSync(file)) return undefined;
    const m = JSON.parse(fs.readFileSync(file, "utf8"));
    return { root: m.root, size: m.size, chunkSize: m.chunkSize, chunkHashes: m.chunkHashes.map((h: string) => new Uint8Array(Buffer.from(h, "hex"))) };
  }

  chunk(root: string, index: number): Uint8Array {
    const m = this.manifest(root);
    if (!m) throw new Error(`content ${root} is not here`);
    if (!Number.isInteger(index) || index < 0 || index >= m.chunkHashes.length) throw new Error(`chunk ${index} is outside 0..${m.chunkHashes.length - 1}`);
    const data = new Uint8Array(fs.readFileSync(path.join(this.folder(root), `${index}.chunk`)));
    if (Buffer.compare(Buffer.from(chunkHash(data)), Buffer.from(m.chunkHashes[index])) !== 0) throw new Error(`chunk ${index} of ${root} is corrupt on disk`);
    return data;
  }

  /** Bytes [start, end) of a content, read chunk by chunk. */
  read(root: string, start: number, end: number): Uint8Array {
    const m = this.manifest(root);
    if (!m) throw new Error(`content ${root} is not here`);
    const out = new Uint8Array(end - start);
    let written = 0;
    for (let i = Math.floor(start / m.chunkSize); written < out.length; i++) {
      const c = this.chunk(root, i);
      const from = Math.max(0, start - i * m.chunkSize);
      const piece = c.subarray(from, Math.min(c.length, from + out.length - written));
      out.set(piece, written);
      written += piece.length;
    }
    return out;
  }
}
