import type { Blockstore } from "../../client/content/blockstore.ts";
import { findFile, parseDirectory, parseTrailer, TRAILER_BYTES, type CollectionFile, type Directory } from "../../client/content/collection.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";

/**
 * The directories of the collections a node holds, read from their content (verified
 * chunks) on first use and kept for the most recent few, bounded by count and bytes.
 */
export class CollectionIndex {
  private readonly dirs = new Map<string, { dir: Directory; bytes: number }>();
  private bytes = 0;

  constructor(private readonly store: Blockstore, private readonly maxEntries = 64, private readonly maxBytes = 64 * 1024 * 1024) {}

  directory(root: string): Directory {
    const hit = this.dirs.get(root);
    if (hit) {
      this.dirs.delete(root);
      this.dirs.set(root, hit);
      return hit.dir;
    }
    const m = this.store.manifest(root);
    if (!m) throw new DtsError(404, `content ${root} is not on this node`);
    if (m.size < TRAILER_BYTES) throw new DtsError(404, `content ${root} is not a collection`);
    let dir: Directory;
    let length: number;
    try {
      const where = parseTrailer(this.store.read(root, m.size - TRAILER_BYTES, m.size), m.size);
      length = where.length;
      dir = parseDirectory(this.store.read(root, where.offset, where.offset + where.length), where.offset);
    } catch (err) {
      throw new DtsError(404, `content ${root} is not a collection: ${(err as Error).message}`);
    }
    this.dirs.set(root, { dir, bytes: length });
    this.bytes += length;
    for (const [k, v] of this.dirs) {
      if (this.dirs.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.dirs.delete(k);
      this.bytes -= v.bytes;
    }
    return dir;
  }

  /** The file at `path` of collection `root` (a path ending in "/", or empty, means its index.html). */
  file(root: string, path: string): CollectionFile {
    const want = path === "" || path.endsWith("/") ? `${path}index.html` : path;
    const f = findFile(this.directory(root), want);
    if (!f) throw new DtsError(404, `collection ${root} has no file ${JSON.stringify(want.slice(0, 200))}`);
    return f;
  }
}
