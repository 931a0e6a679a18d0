import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";

/**
 * Multicodec (private-use range) for "the digest is the RFC 6962 root over the
 * content's chunk hashes": the id the chain's market stores, as a CID for the DHT.
 */
export const ARO_CONTENT_CODEC = 0x300a20;
const SHA2_256 = 0x12;

/** A content root as the chain writes it: 64 lower-case hex digits. */
export const isContentRoot = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);

export function contentCid(root: string): CID {
  if (!isContentRoot(root)) throw new Error(`content root must be 64 hex digits, got ${JSON.stringify(root)}`);
  return CID.createV1(ARO_CONTENT_CODEC, Digest.create(SHA2_256, Buffer.from(root, "hex")));
}

/** Accepts a content CID (bafy…) or the bare hex root; returns the hex root. */
export function rootOf(id: string): string {
  if (isContentRoot(id)) return id;
  let cid: CID;
  try {
    cid = CID.parse(id);
  } catch (err) {
    throw new Error(`${JSON.stringify(id)} is neither a content CID nor a 64-hex root: ${(err as Error).message}`);
  }
  if (cid.code !== ARO_CONTENT_CODEC || cid.multihash.code !== SHA2_256) throw new Error(`${id} is not an Aro content CID (codec 0x${cid.code.toString(16)})`);
  return Buffer.from(cid.multihash.digest).toString("hex");
}
