import fs from "node:fs";
import path from "node:path";
import { chunkHash, verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { leafHash } from "../../chain/proofs/rfc6962.ts";
import { isContentRoot } from "./cid.ts";
import { chunkCount, chunkRange, manifestToJson, verifiedManifest, type ContentInfo } from "./manifest.ts";
import { TreeFile } from "./tree-file.ts";
import { migrateLegacyFolder } from "./blockstore-legacy.ts";
import { ChunkCache, CheckedChunks } from "./chunk-cache.ts";

const MANIFEST = "manifest.json";
const PARTIAL = "partial.json";
const DATA = "data";
const TREE = "tree";
/** Verified chunks a store keeps in memory by default (serving hot content re-reads and re-hashes nothing). */
export const DEFAULT_CHUNK_CACHE_BYTES = 64 * 1024 * 1024;
/** Contents whose files stay open at once. */
const OPEN_FILES = 32;
/** The most `read` returns in one buffer; larger ranges go through `stream`. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/** An open content: `writing` counts async writes in flight (its files close only once they are done). */
type Open = { info: ContentInfo; data: number; tree: TreeFile; writing: number; closed: boolean };

/**
 * A local content store (a PeerNode's, or where a client's download lands): one folder
 * per content root with its manifest, its bytes in one file (`data`, written in place
 * chunk by chunk, so it is the content itself once complete) and its chunk tree (`tree`,
 * see tree-file.ts). A content being received keeps its manifest as partial.json, and
 * the chunks it has are the tree's written leaves: it resumes with them after a restart.
 * A chunk is stored only if it matches: with an audit path, at once; without one (a
 * publisher's upload), when finishing rebuilds the root, which must be the content's.
 * A chunk read back is checked against its leaf unless it was checked since the data file
 * last changed (chunk-cache.ts CheckedChunks: a content received here starts checked;
 * a restart or any write to the file starts over); verified chunks stay in a small LRU
 * while the data file is unchanged. Memory is bounded by the cache and OPEN_FILES, not
 * by the size or number of contents.
 */
export class Blockstore {
  private readonly held = new Set<string>();
  private readonly open = new Map<string, Open>();
  private readonly cache: ChunkCache;
  private readonly checked = new CheckedChunks(OPEN_FILES);

  constructor(readonly dir: string, opts: { chunkCacheBytes?: number } = {}) {
    fs.mkdirSync(dir, { recursive: true });
    this.cache = new ChunkCache(opts.chunkCacheBytes ?? DEFAULT_CHUNK_CACHE_BYTES);
    for (const d of fs.readdirSync(dir)) {
      if (!isContentRoot(d)) continue;
      migrateLegacyFolder(path.join(dir, d), d);
      if (fs.existsSync(path.join(dir, d, MANIFEST))) this.held.add(d);
    }
  }

  private folder(root: string): string {
    if (!isContentRoot(root)) throw new Error(`content root must be 64 hex digits, got ${JSON.stringify(root)}`);
    return path.join(this.dir, root);
  }

  /** The content's bytes on disk (complete once `has(root)`): link or copy it out, never write to it. */
  dataPath(root: string): string {
    return path.join(this.folder(root), DATA);
  }

  /** Stores a content held in memory at once (small contents and tests). */
  put(content: ContentInfo, chunks: readonly Uint8Array[]): void {
    this.begin(content);
    chunks.forEach((c, i) => this.writeChunk(content.root, i, c));
    this.finish(content.root);
  }

  /** Starts (or resumes) receiving a content: its files are made at full size (sparse). */
  begin(content: ContentInfo): void {
    const dir = this.folder(content.root);
    if (this.held.has(content.root)) return;
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, PARTIAL);
    if (fs.existsSync(partial)) {
      const known = this.partial(content.root);
      if (known && (known.size !== content.size || known.chunkSize !== content.chunkSize)) throw new Error(`content ${content.root} is being received as ${known.size} bytes in ${known.chunkSize}-byte chunks, not ${content.size} in ${content.chunkSize}`);
      return;
    }
    const info = verifiedManifest(content.root, manifestToJson(content));
    const data = fs.openSync(path.join(dir, DATA), "w");
    fs.ftruncateSync(data, info.size);
    fs.closeSync(data);
    fs.rmSync(path.join(dir, TREE), { force: true });
    TreeFile.open(path.join(dir, TREE), chunkCount(info)).close();
    writeAtomic(partial, JSON.stringify(manifestToJson(info)));
  }

  private files(root: string, name: string): Open {
    const hit = this.open.get(root);
    if (hit) {
      this.open.delete(root);
      this.open.set(root, hit);
      return hit;
    }
    const info = this.readManifest(root, name);
    if (!info) throw new Error(name === MANIFEST ? `content ${root} is not here` : `content ${root} was not begun`);
    const dir = this.folder(root);
    const o: Open = { info, data: fs.openSync(path.join(dir, DATA), name === MANIFEST ? "r" : "r+"), tree: TreeFile.open(path.join(dir, TREE), chunkCount(info)), writing: 0, closed: false };
    this.open.set(root, o);
    for (const [k] of this.open) {
      if (this.open.size <= OPEN_FILES) break;
      this.close(k);
    }
    return o;
  }

  private close(root: string): void {
    const o = this.open.get(root);
    if (!o) return;
    this.open.delete(root);
    o.closed = true;
    if (o.writing === 0) closeFiles(o);
  }

  /**
   * Writes one chunk of a content being received. With `proof` (its audit path) the chunk
   * is checked against the root first and refused if it does not lead there; without, the
   * root is checked when the content is finished. `knownHash`: the chunk's hash when the
   * caller computed it already (client/fetch/hash-pool.ts), not computed again.
   */
  writeChunk(root: string, index: number, data: Uint8Array, proof?: readonly Uint8Array[], knownHash?: Uint8Array): void {
    const w = this.checkedWrite(root, index, data, proof, knownHash);
    if (!w) return;
    writeFully(w.o.data, data, w.start);
    // the leaf goes last: a leaf on disk means its bytes are there (a torn write leaves no leaf)
    w.o.tree.writeLeaf(index, w.leaf);
  }

  /**
   * writeChunk with the bytes written on libuv's thread pool: a download goes on receiving
   * and hashing while the page cache takes them. The chunk is checked before anything is
   * written, and its leaf written after its bytes, as writeChunk does.
   */
  async writeChunkAsync(root: string, index: number, data: Uint8Array, proof?: readonly Uint8Array[], knownHash?: Uint8Array): Promise<void> {
    const w = this.checkedWrite(root, index, data, proof, knownHash);
    if (!w) return;
    w.o.writing++;
    try {
      for (let done = 0; done < data.length;) done += await writeAt(w.o.data, data, done, data.length - done, w.start + done);
      // (a content pushed out of the open set meanwhile keeps its files until this is done)
      w.o.tree.writeLeaf(index, w.leaf);
    } finally {
      w.o.writing--;
      if (w.o.closed && w.o.writing === 0) closeFiles(w.o);
    }
  }

  /** The checks before a chunk is written (its length; with a proof, that it leads to the root): where, and its leaf. */
  private checkedWrite(root: string, index: number, data: Uint8Array, proof?: readonly Uint8Array[], knownHash?: Uint8Array): { o: Open; start: number; leaf: Uint8Array } | undefined {
    if (this.held.has(root)) return undefined;
    const o = this.files(root, PARTIAL);
    checkIndex(o.info, index);
    const { start, end } = chunkRange(o.info, index);
    if (data.length !== end - start) throw new Error(`chunk ${index} of ${root} must be ${end - start} bytes, got ${data.length}`);
    const hash = knownHash ?? chunkHash(data);
    if (proof && !verifyChunk(Buffer.from(root, "hex"), BigInt(chunkCount(o.info)), BigInt(index), hash, proof)) throw new Error(`chunk ${index} of ${root} does not match its hash`);
    return { o, start, leaf: leafHash(hash) };
  }

  /** Which chunks of a content being received are on disk (bit i of byte i>>3) and how many; every bit for a complete one. */
  heldChunks(root: string): { bits: Uint8Array; count: number; total: number } {
    if (this.held.has(root)) {
      const info = this.manifest(root)!;
      const total = chunkCount(info);
      return { bits: new Uint8Array(Math.ceil(total / 8)).fill(0xff), count: total, total };
    }
    const o = this.files(root, PARTIAL);
    return { ...o.tree.heldLeaves(), total: chunkCount(o.info) };
  }

  /**
   * Marks a content complete once every chunk is held: hashes its tree and checks the
   * root. A content whose chunks do not rebuild its root is deleted (its bytes came from
   * a source that lied) and this throws.
   */
  finish(root: string): void {
    if (this.held.has(root)) return;
    const o = this.files(root, PARTIAL);
    const { count } = o.tree.heldLeaves();
    const total = chunkCount(o.info);
    if (count !== total) throw new Error(`content ${root}: ${total - count} chunks still missing`);
    const built = o.tree.build().toString("hex");
    if (built !== root) {
      this.remove(root);
      throw new Error(`the received chunks give root ${built}, not ${root}: deleted`);
    }
    fs.fsyncSync(o.data);
    // every chunk was hashed on its way in and the root rebuilt from them: checked until the file changes
    this.checked.mark(root, 0, total, fs.fstatSync(o.data), true);
    this.close(root);
    fs.renameSync(path.join(this.folder(root), PARTIAL), path.join(this.folder(root), MANIFEST));
    this.held.add(root);
  }

  /** A complete content's manifest. */
  manifest(root: string): ContentInfo | undefined {
    if (!this.held.has(root)) return undefined;
    return this.open.get(root)?.info ?? this.readManifest(root, MANIFEST);
  }

  /** The manifest of a content being received. */
  partial(root: string): ContentInfo | undefined {
    if (this.held.has(root)) return undefined;
    return this.readManifest(root, PARTIAL);
  }

  private readManifest(root: string, name: string): ContentInfo | undefined {
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

  /** Contents being received (begun, not finished), sorted: one directory listing. */
  partials(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((d) => isContentRoot(d) && !this.held.has(d) && fs.existsSync(path.join(this.dir, d, PARTIAL)))
      .sort();
  }

  remove(root: string): void {
    this.held.delete(root);
    this.close(root);
    this.cache.forgetContent(root);
    this.checked.forget(root);
    fs.rmSync(this.folder(root), { recursive: true, force: true });
  }

  /**
   * Hands a complete content's bytes over as the file `out` (a rename when on the same
   * file system, else a copy) and drops it from the store: a client's fetch ends this way.
   */
  moveOut(root: string, out: string): void {
    if (!this.held.has(root)) throw new Error(`content ${root} is not here`);
    this.close(root);
    try {
      fs.renameSync(this.dataPath(root), out);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      fs.copyFileSync(this.dataPath(root), out);
    }
    this.remove(root);
  }

  /**
   * A verified chunk of a content: any chunk of a complete one, or one already received of
   * a content being received (a ranged fetch). The bytes may be shared (cached): do not modify them.
   */
  chunk(root: string, index: number): Uint8Array {
    return this.readChunk(root, index);
  }

  /**
   * chunk() into the caller's buffer `into` (at least the chunk's length; its view of that
   * length is returned), not through the cache: a node serving a large content reuses a
   * few buffers instead of taking fresh memory for every chunk.
   */
  chunkInto(root: string, index: number, into: Uint8Array): Uint8Array {
    return this.readChunk(root, index, into);
  }

  private readChunk(root: string, index: number, into?: Uint8Array): Uint8Array {
    const complete = this.held.has(root);
    if (!complete && !this.partial(root)) throw new Error(`content ${root} is not here`);
    const o = this.files(root, complete ? MANIFEST : PARTIAL);
    checkIndex(o.info, index);
    const st = fs.fstatSync(o.data);
    const hit = complete && !into ? this.cache.get(root, index, st) : undefined;
    if (hit) return hit;
    const checked = complete && this.checked.has(root, index, st);
    const leaf = checked ? undefined : o.tree.leaf(index);
    if (leaf && !complete && leaf.every((b) => b === 0)) throw new Error(`chunk ${index} of ${root} is not here yet`);
    const { start, end } = chunkRange(o.info, index);
    if (into && into.length < end - start) throw new Error(`a ${into.length}-byte buffer cannot take chunk ${index} of ${root} (${end - start} bytes)`);
    const data = into ? into.subarray(0, end - start) : new Uint8Array(end - start);
    if (fs.readSync(o.data, data, 0, data.length, start) !== data.length) throw new Error(`chunk ${index} of ${root} is short on disk`);
    if (leaf && Buffer.compare(leafHash(chunkHash(data)), leaf) !== 0) throw new Error(`chunk ${index} of ${root} is corrupt on disk`);
    if (leaf && complete) this.checked.mark(root, index, chunkCount(o.info), st);
    if (complete && !into) this.cache.set(root, index, data, st);
    return data;
  }

  /** Whether `data` is chunk `index` of a complete content held here (compared with its leaf; nothing is read but the leaf). */
  matches(root: string, index: number, data: Uint8Array): boolean {
    if (!this.held.has(root)) return false;
    const o = this.files(root, MANIFEST);
    if (!Number.isInteger(index) || index < 0 || index >= chunkCount(o.info)) return false;
    const { start, end } = chunkRange(o.info, index);
    return data.length === end - start && Buffer.compare(leafHash(chunkHash(data)), o.tree.leaf(index)) === 0;
  }

  /** The audit path of chunk `index` of a complete content, from its leaf up to the root. */
  proof(root: string, index: number): Uint8Array[] {
    if (!this.held.has(root)) throw new Error(`content ${root} is not here`);
    return this.files(root, MANIFEST).tree.proof(index);
  }

  /** Bytes [start, end) of a content in one buffer (at most MAX_READ_BYTES; use `stream` for more). */
  read(root: string, start: number, end: number): Uint8Array {
    if (end - start > MAX_READ_BYTES) throw new Error(`read of ${end - start} bytes is over ${MAX_READ_BYTES}: stream it`);
    const out = new Uint8Array(end - start);
    let at = 0;
    for (const piece of this.pieces(root, start, end)) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }

  /** Bytes [start, end) of a content, chunk by chunk, each verified (of one being received: its chunks there must be held). */
  *pieces(root: string, start: number, end: number): Generator<Uint8Array> {
    const m = this.manifest(root) ?? this.partial(root);
    if (!m) throw new Error(`content ${root} is not here`);
    if (!(start >= 0 && start <= end && end <= m.size)) throw new Error(`range ${start}..${end} is not within the content's ${m.size} bytes`);
    for (let i = Math.floor(start / m.chunkSize); i * m.chunkSize < end; i++) {
      const c = this.chunk(root, i);
      const from = Math.max(0, start - i * m.chunkSize);
      yield c.subarray(from, Math.min(c.length, end - i * m.chunkSize));
    }
  }
}

function checkIndex(m: ContentInfo, index: number): void {
  const n = chunkCount(m);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`chunk ${index} is outside 0..${n - 1}`);
}

function writeAt(fd: number, data: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.write(fd, data, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

function closeFiles(o: Open): void {
  fs.closeSync(o.data);
  o.tree.close();
}

function writeFully(fd: number, data: Uint8Array, position: number): void {
  for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done, data.length - done, position + done);
}

function writeAtomic(file: string, data: string): void {
  fs.writeFileSync(file + ".tmp", data);
  fs.renameSync(file + ".tmp", file);
}
