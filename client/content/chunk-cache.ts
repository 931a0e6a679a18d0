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
