import { MAX_PATH } from "../../chain/proofs/rfc6962.ts";

/** An audit path as it travels (an HTTP header, a JSON field): its 32-byte hashes in hex, concatenated. */
export function proofToHex(proof: readonly Uint8Array[]): string {
  return proof.map((h) => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString("hex")).join("");
}

/** Parses an audit path from a peer (at most MAX_PATH hashes); throws on anything else. */
export function proofFromHex(hex: unknown): Uint8Array[] {
  if (typeof hex !== "string" || hex.length % 64 !== 0 || hex.length > 64 * MAX_PATH || !/^[0-9a-f]*$/.test(hex)) throw new Error("the chunk's audit path must be up to 64 hex-encoded 32-byte hashes");
  const out: Uint8Array[] = [];
  for (let i = 0; i < hex.length; i += 64) out.push(new Uint8Array(Buffer.from(hex.slice(i, i + 64), "hex")));
  return out;
}
