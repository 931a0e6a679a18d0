import fs from "node:fs";
import path from "node:path";

/** Bytes a file or folder takes on disk (its allocated blocks, not its length: a sparse file counts what it holds). */
export function diskUsage(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.blocks * 512;
  return fs.readdirSync(p).reduce((s, e) => s + diskUsage(path.join(p, e)), 0);
}
