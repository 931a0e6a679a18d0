import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

// DER SubjectPublicKeyInfo header for a compressed secp256k1 point (id-ecPublicKey, secp256k1).
const SPKI_PREFIX = Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex");
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_MAX = 100_000;

function keyObject(pubkey: Uint8Array): KeyObject {
  const id = Buffer.from(pubkey).toString("latin1");
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pubkey]), format: "der", type: "spki" });
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/**
 * Cosmos secp256k1 check: 64-byte r||s, low-S only, over sha256(message), with a
 * 33-byte compressed key. Uses Node's OpenSSL, several times faster than pure JS.
 */
export function verifySecp256k1(message: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): boolean {
  if (signature.length !== 64 || pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return false;
  const s = BigInt("0x" + Buffer.from(signature.subarray(32)).toString("hex"));
  if (s === 0n || s > HALF_ORDER) return false;
  try {
    return verify("sha256", message, { key: keyObject(pubkey), dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false; // not a point on the curve
  }
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** Cosmos account address bytes of a secp256k1 key: ripemd160(sha256(pubkey)). */
export function addressBytesOf(pubkey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("ripemd160").update(createHash("sha256").update(pubkey).digest()).digest());
}
