import { sha256 } from "@noble/hashes/sha2.js";

/**
 * The chunk checks of chain/proofs (RFC 6962 trees: leaf = sha256(0x00 | data), node =
 * sha256(0x01 | left | right); a chunk hash is the root over its 4 KiB segments, a content
 * root the root over chunk hashes as leaves) for a browser: pure JS sha256, no Node
 * built-ins. The chain's own copy uses node:crypto for speed; client/web/verify.test.ts
 * checks both agree.
 */
const SEGMENT = 4096;

function prefixed(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + a.length + (b?.length ?? 0));
  buf[0] = prefix;
  buf.set(a, 1);
  if (b) buf.set(b, 1 + a.length);
  return sha256(buf);
}

const leafHash = (data: Uint8Array) => prefixed(0, data);
const nodeHash = (l: Uint8Array, r: Uint8Array) => prefixed(1, l, r);

/** A chunk's hash: the RFC 6962 root over its 4 KiB segments. */
export function chunkHashOf(chunk: Uint8Array): Uint8Array {
  let level: Uint8Array[] = [];
  for (let off = 0; off < chunk.length; off += SEGMENT) level.push(leafHash(chunk.subarray(off, off + SEGMENT)));
  if (level.length === 0) return sha256(new Uint8Array(0));
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
  }
  return level[0];
}

/** Whether `chunk` is chunk `index` of `count` chunks under `rootHex`, by its audit path (RFC 9162 §2.1.3.2). */
export function chunkVerifies(rootHex: string, count: number, index: number, chunk: Uint8Array, path: readonly Uint8Array[]): boolean {
  if (index < 0 || index >= count || path.length > 64) return false;
  let fn = index;
  let sn = count - 1;
  let r = leafHash(chunkHashOf(chunk));
  for (const p of path) {
    if (p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHex(r) === rootHex;
}

export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** An audit path from its hex form (X-Aro-Proof), or undefined if malformed. */
export function proofFromHexWeb(hex: string): Uint8Array[] | undefined {
  if (hex.length % 64 !== 0 || hex.length > 64 * 64 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  const out: Uint8Array[] = [];
  for (let i = 0; i < hex.length; i += 64) {
    const h = new Uint8Array(32);
    for (let k = 0; k < 32; k++) h[k] = parseInt(hex.slice(i + 2 * k, i + 2 * k + 2), 16);
    out.push(h);
  }
  return out;
}
