import fs from "node:fs";
import path from "node:path";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import type { ChunkedContent } from "./chunks.ts";
import { isContentRoot } from "./cid.ts";
import { manifestToJson, verifiedManifest } from "./manifest.ts";

const MANIFEST = "manifest.json";
/** Verified chunks a store keeps in memory by default (serving hot content re-reads and re-hashes nothing). */
export const DEFAULT_CHUNK_CACHE_BYTES = 64 * 1024 * 1024;
const PARTIAL = "partial.json";

/**
 * A local content store (a PeerNode's, or where a client's download lands): one folder
 * per content root with its manifest (sizes and chunk hashes) and one file per chunk. A download in progress keeps its manifest
 * as partial.json, so it resumes with the chunks it already has. Every chunk written
 * or read back is checked against the manifest: bad bytes are never stored or served.
 * Chunks read back are kept in a small LRU of verified bytes, valid while the chunk
 * file is unchanged (same inode, size and ctime); a rewritten file is read and checked again.
 */
export class Blockstore {
  /** verified complete manifests (they never change once complete) */
  private readonly complete = new Map<string, ChunkedContent>();
  /** manifests of downloads in progress, and the chunks this process wrote or read back and verified for them */
  private readonly partials = new Map<string, { manifest: ChunkedContent; written: Set<number> }>();
  /** roots of the complete contents */
  private readonly held = new Set<string>();
  /** verified chunk bytes by "root/index", least recently used first */
  private readonly cache = new Map<string, { data: Uint8Array; ino: number; size: number; ctimeMs: number }>();
  private cachedBytes = 0;
  private readonly cacheLimit: number;

  constructor(readonly dir: string, opts: { chunkCacheBytes?: number } = {}) {
    fs.mkdirSync(dir, { recursive: true });
    this.cacheLimit = opts.chunkCacheBytes ?? DEFAULT_CHUNK_CACHE_BYTES;
    // the store owns its folder: what is complete is read once, then kept up to date here
    for (const d of fs.readdirSync(dir)) if (isContentRoot(d) && fs.existsSync(path.join(dir, d, MANIFEST))) this.held.add(d);
  }

  private folder(root: string): string {
    if (!isContentRoot(root)) throw new Error(`content root must be 64 hex digits, got ${JSON.stringify(root)}`);
    return path.join(this.dir, root);
  }

  /** Stores a whole content at once (publishing). */
  put(content: ChunkedContent, chunks: readonly Uint8Array[]): void {
    this.begin(content);
    chunks.forEach((c, i) => this.writeChunk(content.root, i, c));
    this.finish(content.root);
  }

  /** Starts (or resumes) receiving a content whose manifest is verified. */
  begin(content: ChunkedContent): void {
    const dir = this.folder(content.root);
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(path.join(dir, MANIFEST))) return;
    if (!fs.existsSync(path.join(dir, PARTIAL))) writeAtomic(path.join(dir, PARTIAL), JSON.stringify(manifestToJson(content)));
    if (!this.partials.has(content.root)) this.partials.set(content.root, { manifest: content, written: new Set() });
  }

  /** Writes one chunk after checking it against the (partial or complete) manifest. */
  writeChunk(root: string, index: number, data: Uint8Array): void {
    const m = this.partials.get(root)?.manifest ?? this.manifest(root) ?? this.partial(root);
    if (!m) throw new Error(`content ${root} was not begun`);
    checkIndex(m, index);
    if (!sameBytes(chunkHash(data), m.chunkHashes[index])) throw new Error(`chunk ${index} of ${root} does not match its hash`);
    // no temp file and rename: a torn write fails the hash check when the download resumes
    fs.writeFileSync(path.join(this.folder(root), `${index}.chunk`), data);
    this.partials.get(root)?.written.add(index);
  }

  /** Chunks of an unfinished content already on disk (and intact). */
  chunksHeld(root: string): Set<number> {
    const m = this.manifest(root) ?? this.partial(root);
    const held = new Set<number>();
    if (!m) return held;
    const written = this.partials.get(root)?.written;
    for (let i = 0; i < m.chunkHashes.length; i++) {
      if (written?.has(i)) {
        held.add(i);
        continue;
      }
      const file = path.join(this.folder(root), `${i}.chunk`);
      if (fs.existsSync(file) && sameBytes(chunkHash(fs.readFileSync(file)), m.chunkHashes[i])) {
        held.add(i);
        written?.add(i); // checked once: finish() does not read it again
      }
    }
    return held;
  }

  /** Marks a content complete once every chunk is held; it is then served. */
  finish(root: string): void {
    const m = this.partial(root);
    if (!m) {
      if (this.manifest(root)) return;
      throw new Error(`content ${root} was not begun`);
    }
    const held = this.chunksHeld(root);
    if (held.size !== m.chunkHashes.length) throw new Error(`content ${root}: ${m.chunkHashes.length - held.size} chunks still missing`);
    fs.renameSync(path.join(this.folder(root), PARTIAL), path.join(this.folder(root), MANIFEST));
    this.partials.delete(root);
    this.held.add(root);
  }

  manifest(root: string): ChunkedContent | undefined {
    const cached = this.complete.get(root);
    if (cached || !this.held.has(root)) return cached;
    const m = this.readManifest(root, MANIFEST);
    if (m) this.complete.set(root, m);
    return m;
  }

  partial(root: string): ChunkedContent | undefined {
    const known = this.partials.get(root);
    if (known) return known.manifest;
    const m = this.readManifest(root, PARTIAL);
    if (m) this.partials.set(root, { manifest: m, written: new Set() });
    return m;
  }

  private readManifest(root: string, name: string): ChunkedContent | undefined {
    const file = path.join(this.folder(root), name);
    if (!fs.existsSync(file)) return undefined;
    return verifiedManifest(root, JSON.parse(fs.readFileSync(file, "utf8")));
  }

  has(root: string): boolean {
    return this.held.has(root);
  }

  /** Complete contents held, sorted. */
  list(): string[] {
    return [...this.held].sort();
  }

  remove(root: string): void {
    this.held.delete(root);
    this.complete.delete(root);
    this.partials.delete(root);
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${root}/`)) this.forget(key);
    fs.rmSync(this.folder(root), { recursive: true, force: true });
  }

  /** A verified chunk of a complete content. The bytes may be shared (cached): do not modify them. */
  chunk(root: string, index: number): Uint8Array {
    const m = this.manifest(root);
    if (!m) throw new Error(`content ${root} is not here`);
    checkIndex(m, index);
    const file = path.join(this.folder(root), `${index}.chunk`);
    const key = `${root}/${index}`;
    const st = fs.statSync(file);
    const hit = this.cache.get(key);
    if (hit && hit.ino === st.ino && hit.size === st.size && hit.ctimeMs === st.ctimeMs) {
      this.cache.delete(key); // most recently used goes last
      this.cache.set(key, hit);
      return hit.data;
    }
    this.forget(key);
    const buf = fs.readFileSync(file);
    const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // a view: no second copy
    if (!sameBytes(chunkHash(data), m.chunkHashes[index])) throw new Error(`chunk ${index} of ${root} is corrupt on disk`);
    if (data.length <= this.cacheLimit) {
      this.cache.set(key, { data, ino: st.ino, size: st.size, ctimeMs: st.ctimeMs });
      this.cachedBytes += data.length;
      for (const [k] of this.cache) {
        if (this.cachedBytes <= this.cacheLimit) break;
        this.forget(k);
      }
    }
    return data;
  }

  private forget(key: string): void {
    const e = this.cache.get(key);
    if (!e) return;
    this.cache.delete(key);
    this.cachedBytes -= e.data.length;
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

function checkIndex(m: ChunkedContent, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= m.chunkHashes.length) throw new Error(`chunk ${index} is outside 0..${m.chunkHashes.length - 1}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  fs.writeFileSync(file + ".tmp", data);
  fs.renameSync(file + ".tmp", file);
}
