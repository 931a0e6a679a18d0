import { sha256 } from "@noble/hashes/sha2.js";
import { rootFromPathWith, rootOver } from "../../chain/proofs/tree-walk.ts";

/**
 * The chunk checks of chain/proofs (RFC 6962 trees: leaf = sha256(0x00 | data), node =
 * sha256(0x01 | left | right); a chunk hash is the root over its 4 KiB segments, a content
 * root the root over chunk hashes as leaves) for a browser: pure JS sha256, no Node
 * built-ins; the tree walks are the chain's own (chain/proofs/tree-walk.ts), which hashes
 * with node:crypto instead. client/web/verify.test.ts checks both agree.
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
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < chunk.length; off += SEGMENT) leaves.push(leafHash(chunk.subarray(off, off + SEGMENT)));
  return leaves.length === 0 ? sha256(new Uint8Array(0)) : rootOver(leaves, nodeHash);
}

/** Whether `chunk` is chunk `index` of `count` chunks under `rootHex`, by its audit path. */
export function chunkVerifies(rootHex: string, count: number, index: number, chunk: Uint8Array, path: readonly Uint8Array[]): boolean {
  const r = rootFromPathWith(leafHash(chunkHashOf(chunk)), BigInt(index), BigInt(count), path, nodeHash);
  return r !== undefined && toHex(r) === rootHex;
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
