import fs from "node:fs";
import { nodeHash } from "../../chain/proofs/rfc6962.ts";

const HASH = 32;
/** Entries read or written per block when scanning or building levels (64 Ki entries = 2 MiB). */
const BLOCK = 65_536;
const ZERO = Buffer.alloc(HASH);

/** Sizes of the levels of an RFC 6962 tree over n leaves built bottom up: n, ⌈n/2⌉, …, 1. */
export function levelSizes(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`a tree needs at least one leaf, got ${n}`);
  const sizes = [n];
  while (sizes[sizes.length - 1] > 1) sizes.push(Math.ceil(sizes[sizes.length - 1] / 2));
  return sizes;
}

/**
 * A content's chunk tree on disk: every level of the RFC 6962 tree over its chunk leaf
 * hashes (leaf = sha256(0x00 | chunk hash)), level 0 first, 32 bytes per node, at most
 * 2n nodes. Level 0 fills as chunks arrive (all zeros: chunk not held yet); `build`
 * hashes the levels above. Audit paths are read from it on demand, so neither side ever
 * holds a content's chunk hashes in memory: a 1 TiB content of 256 KiB chunks is a
 * 256 MiB file, read 32 bytes at a time.
 */
export class TreeFile {
  readonly sizes: number[];
  private readonly offsets: number[];

  private constructor(readonly fd: number, readonly leaves: number) {
    this.sizes = levelSizes(leaves);
    this.offsets = [];
    let at = 0;
    for (const s of this.sizes) {
      this.offsets.push(at);
      at += s * HASH;
    }
  }

  /** Opens (creating a sparse file of the right length if needed) the tree of `leaves` leaves. */
  static open(file: string, leaves: number): TreeFile {
    const fd = fs.openSync(file, fs.existsSync(file) ? "r+" : "w+");
    const t = new TreeFile(fd, leaves);
    const want = t.sizes.reduce((a, s) => a + s, 0) * HASH;
    if (fs.fstatSync(fd).size !== want) fs.ftruncateSync(fd, want);
    return t;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private node(level: number, index: number): Buffer {
    const b = Buffer.allocUnsafe(HASH);
    if (fs.readSync(this.fd, b, 0, HASH, this.offsets[level] + index * HASH) !== HASH) throw new Error(`tree file is short at level ${level} node ${index}`);
    return b;
  }

  leaf(index: number): Buffer {
    return this.node(0, index);
  }

  writeLeaf(index: number, leaf: Uint8Array): void {
    if (leaf.length !== HASH) throw new Error("a leaf hash is 32 bytes");
    fs.writeSync(this.fd, leaf, 0, HASH, index * HASH);
  }

  /** Which leaves are written (bit i of byte i>>3), and how many: read in 2 MiB blocks. */
  heldLeaves(): { bits: Uint8Array; count: number } {
    const bits = new Uint8Array(Math.ceil(this.leaves / 8));
    let count = 0;
    const buf = Buffer.allocUnsafe(BLOCK * HASH);
    for (let first = 0; first < this.leaves; first += BLOCK) {
      const n = Math.min(BLOCK, this.leaves - first);
      fs.readSync(this.fd, buf, 0, n * HASH, first * HASH);
      for (let k = 0; k < n; k++) {
        if (buf.compare(ZERO, 0, HASH, k * HASH, (k + 1) * HASH) === 0) continue;
        const i = first + k;
        bits[i >> 3] |= 1 << (i & 7);
        count++;
      }
    }
    return { bits, count };
  }

  /** Hashes every level above the leaves (a lone last node carried up) and returns the root. */
  build(): Buffer {
    const inBuf = Buffer.allocUnsafe(BLOCK * HASH);
    const outBuf = Buffer.allocUnsafe((BLOCK / 2) * HASH);
    for (let level = 0; level + 1 < this.sizes.length; level++) {
      const size = this.sizes[level];
      for (let first = 0; first < size; first += BLOCK) {
        const n = Math.min(BLOCK, size - first);
        fs.readSync(this.fd, inBuf, 0, n * HASH, this.offsets[level] + first * HASH);
        let out = 0;
        for (let k = 0; k < n; k += 2) {
          const left = inBuf.subarray(k * HASH, (k + 1) * HASH);
          const up = k + 1 < n ? nodeHash(left, inBuf.subarray((k + 1) * HASH, (k + 2) * HASH)) : left;
          outBuf.set(up, out * HASH);
          out++;
        }
        fs.writeSync(this.fd, outBuf, 0, out * HASH, this.offsets[level + 1] + (first / 2) * HASH);
      }
    }
    return this.node(this.sizes.length - 1, 0);
  }

  /** Audit path of leaf `index` (RFC 6962 PATH): siblings from the leaf up, read from the built levels. */
  proof(index: number): Buffer[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.leaves) throw new Error(`chunk ${index} is outside 0..${this.leaves - 1}`);
    const path: Buffer[] = [];
    let i = index;
    for (let level = 0; level + 1 < this.sizes.length; level++) {
      const sibling = i ^ 1;
      if (sibling < this.sizes[level]) path.push(this.node(level, sibling));
      i >>= 1;
    }
    return path;
  }
}

/**
 * The RFC 6962 root of leaves pushed one at a time, in O(log n) memory: full subtrees
 * are merged as they complete, and the peaks are folded right to left at the end (what
 * the bottom-up tree with carried nodes gives). For hashing a file as it streams by.
 */
export class StreamingRoot {
  private readonly peaks: Array<{ height: number; hash: Uint8Array }> = [];
  count = 0;

  push(leaf: Uint8Array): void {
    let node = { height: 0, hash: leaf };
    while (this.peaks.length > 0 && this.peaks[this.peaks.length - 1].height === node.height) {
      const left = this.peaks.pop()!;
      node = { height: node.height + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.peaks.push(node);
    this.count++;
  }

  root(): Uint8Array {
    if (this.peaks.length === 0) throw new Error("no leaves");
    let acc = this.peaks[this.peaks.length - 1].hash;
    for (let k = this.peaks.length - 2; k >= 0; k--) acc = nodeHash(this.peaks[k].hash, acc);
    return acc;
  }
}
