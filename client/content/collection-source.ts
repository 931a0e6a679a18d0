import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { encodeDirectory, MAX_FILES, pathFault, type CollectionFile, type Directory } from "./collection.ts";
import { bytesSource, ChunkHasher, concatSource, fileSource, type ContentSource } from "./content-source.ts";
import type { ContentInfo } from "./manifest.ts";
import { mediaTypeOf } from "./media-type.ts";

/** Every regular file under `dir`, as collection paths ("/"-separated, sorted); symbolic links and special files are refused. */
export function listFolder(dir: string): Array<{ path: string; file: string; size: number }> {
  const out: Array<{ path: string; file: string; size: number }> = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const fault = pathFault(p);
        if (fault) throw new Error(`${p}: ${fault}`);
        out.push({ path: p, file: path.join(dir, p), size: fs.statSync(path.join(dir, p)).size });
        if (out.length > MAX_FILES) throw new Error(`${dir} has more than ${MAX_FILES} files`);
      } else throw new Error(`${path.join(dir, p)} is not a regular file or folder (links are not followed)`);
    }
  };
  walk("");
  if (out.length === 0) throw new Error(`${dir} has no files`);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface PreparedCollection {
  info: ContentInfo;
  directory: Directory;
  source: ContentSource;
}

/**
 * A folder as one content (client/content/collection.ts): its files one after another,
 * then the directory. One pass reads every file once, hashing the content's chunk tree and
 * each file's sha256 together; `source` streams the same bytes for the upload.
 */
export async function prepareCollection(dir: string, chunkSize: number, onProgress?: (bytes: number, size: number) => void): Promise<PreparedCollection> {
  const listed = listFolder(dir);
  const filesBytes = listed.reduce((n, f) => n + f.size, 0);
  const hasher = new ChunkHasher(chunkSize);
  const files: CollectionFile[] = [];
  let offset = 0;
  for (const f of listed) {
    const sha = createHash("sha256");
    for await (const piece of fileSource(f.file, f.size).open(0)) {
      sha.update(piece);
      hasher.push(piece);
      onProgress?.(hasher.size, filesBytes);
    }
    files.push({ path: f.path, offset, size: f.size, mediaType: mediaTypeOf(f.path), sha256: sha.digest("hex") });
    offset += f.size;
  }
  const directory: Directory = { files };
  const tail = encodeDirectory(directory, filesBytes);
  hasher.push(tail);
  return { info: hasher.end(), directory, source: concatSource([...listed.map((f) => fileSource(f.file, f.size)), bytesSource(tail)]) };
}
