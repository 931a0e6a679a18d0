import type fs from "node:fs";

type Entry = { data: Uint8Array; ino: number; size: number; mtimeMs: number; ctimeMs: number };

/**
 * Verified chunk bytes by content and index, least recently used first, up to a byte
 * budget. An entry holds while its data file is unchanged (same inode, size, mtime and
 * ctime): bytes rewritten on disk are read and checked again.
 */
export class ChunkCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly limit: number) {}

  get(root: string, index: number, st: fs.Stats): Uint8Array | undefined {
    const key = `${root}/${index}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.forget(key);
    if (hit.ino !== st.ino || hit.size !== st.size || hit.mtimeMs !== st.mtimeMs || hit.ctimeMs !== st.ctimeMs) return undefined;
    this.entries.set(key, hit); // most recently used goes last
    this.bytes += hit.data.length;
    return hit.data;
  }

  set(root: string, index: number, data: Uint8Array, st: fs.Stats): void {
    if (data.length > this.limit) return;
    const key = `${root}/${index}`;
    this.forget(key);
    this.entries.set(key, { data, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
    this.bytes += data.length;
    for (const [k] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.forget(k);
    }
  }

  forgetContent(root: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${root}/`)) this.forget(key);
  }

  private forget(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.data.length;
  }
}

/**
 * Which chunks of a content were checked against their leaves since its data file last
 * changed: a bitmap per content (n/8 bytes) and the file's (inode, size, mtime, ctime) it
 * holds for, for the `maxContents` most recently used. A content received whole (every
 * chunk hashed as it arrived, the root rebuilt) starts fully checked; any change of the
 * file starts it over. Serving a checked chunk again costs a read, not a hash.
 */
export class CheckedChunks {
  private readonly byRoot = new Map<string, { sig: string; bits: Uint8Array }>();

  constructor(private readonly maxContents = 32) {}

  private static sig(st: fs.Stats): string {
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  }

  has(root: string, index: number, st: fs.Stats): boolean {
    const e = this.byRoot.get(root);
    return !!e && e.sig === CheckedChunks.sig(st) && (e.bits[index >> 3] & (1 << (index & 7))) !== 0;
  }

  /** Marks chunk `index` checked (all chunks with `all`) for the file as `st` describes it. */
  mark(root: string, index: number, chunks: number, st: fs.Stats, all = false): void {
    const sig = CheckedChunks.sig(st);
    let e = this.byRoot.get(root);
    if (!e || e.sig !== sig) e = { sig, bits: new Uint8Array(Math.ceil(chunks / 8)) };
    this.byRoot.delete(root);
    this.byRoot.set(root, e);
    if (all) e.bits.fill(0xff);
    else e.bits[index >> 3] |= 1 << (index & 7);
    for (const [k] of this.byRoot) {
      if (this.byRoot.size <= this.maxContents) break;
      this.byRoot.delete(k);
    }
  }

  forget(root: string): void {
    this.byRoot.delete(root);
  }
}
