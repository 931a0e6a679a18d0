import fs from "node:fs";
import path from "node:path";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { leafHash } from "../../chain/proofs/rfc6962.ts";
import { TreeFile } from "./tree-file.ts";

/**
 * Converts a content folder of the first store layout (a manifest listing every chunk
 * hash, one `<i>.chunk` file per chunk) to the current one (`data`, `tree`, a manifest
 * without hashes), so a node upgraded in place keeps serving what it holds (every chunk is
 * read and checked once). A complete content whose files do not rebuild its root, and any unfinished download, is removed
 * (it is fetched again). Folders already in the current layout are left alone.
 */
export function migrateLegacyFolder(dir: string, root: string): void {
  const partial = path.join(dir, "partial.json");
  const manifest = path.join(dir, "manifest.json");
  if (fs.existsSync(partial) && legacy(partial)) return void fs.rmSync(dir, { recursive: true, force: true });
  if (!fs.existsSync(manifest)) return;
  const m = legacy(manifest);
  if (!m) return;
  try {
    const data = fs.openSync(path.join(dir, "data"), "w");
    const tree = TreeFile.open(path.join(dir, "tree"), m.chunkHashes.length);
    try {
      let at = 0;
      m.chunkHashes.forEach((h, i) => {
        const bytes = fs.readFileSync(path.join(dir, `${i}.chunk`));
        if (Buffer.compare(chunkHash(bytes), Buffer.from(h, "hex")) !== 0) throw new Error(`chunk ${i} does not match its hash`);
        fs.writeSync(data, bytes, 0, bytes.length, at);
        at += bytes.length;
        tree.writeLeaf(i, leafHash(Buffer.from(h, "hex")));
      });
      if (at !== m.size || tree.build().toString("hex") !== root) throw new Error("does not rebuild its root");
    } finally {
      fs.closeSync(data);
      tree.close();
    }
    fs.writeFileSync(manifest + ".tmp", JSON.stringify({ root, size: m.size, chunkSize: m.chunkSize }));
    fs.renameSync(manifest + ".tmp", manifest);
    for (let i = 0; i < m.chunkHashes.length; i++) fs.rmSync(path.join(dir, `${i}.chunk`), { force: true });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function legacy(file: string): { size: number; chunkSize: number; chunkHashes: string[] } | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(file, "utf8"));
    return Array.isArray(m?.chunkHashes) ? m : undefined;
  } catch {
    return undefined;
  }
}
