import fs from "node:fs";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { leafHash } from "../../chain/proofs/rfc6962.ts";
import type { ContentInfo } from "./manifest.ts";
import { StreamingRoot } from "./tree-file.ts";

/**
 * The content root of a file, read one chunk at a time (memory: one chunk and the tree's
 * O(log n) peaks), with the chunk size the chain's market uses. `onProgress` gets the
 * bytes hashed so far.
 */
export function fileContentInfo(file: string, chunkSize: number, onProgress?: (bytes: number, size: number) => void): ContentInfo {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new Error(`${file} is empty: there is nothing to publish`);
    const buf = Buffer.allocUnsafe(chunkSize);
    const tree = new StreamingRoot();
    for (let at = 0; at < size;) {
      const want = Math.min(chunkSize, size - at);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, at + got);
        if (n === 0) throw new Error(`${file} shrank while being read`);
        got += n;
      }
      tree.push(leafHash(chunkHash(buf.subarray(0, want))));
      at += want;
      onProgress?.(at, size);
    }
    return { root: Buffer.from(tree.root()).toString("hex"), size, chunkSize };
  } finally {
    fs.closeSync(fd);
  }
}
