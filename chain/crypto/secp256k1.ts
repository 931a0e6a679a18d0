import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";

interface NativeSecp256k1 {
  ecdsaVerify(signature: Uint8Array, digest: Uint8Array, pubkey: Uint8Array): boolean;
}

/**
 * libsecp256k1 through the `secp256k1` package's prebuilt N-API binding (~5x faster
 * than OpenSSL here). Its index.js silently falls back to pure JS, so the binding is
 * loaded directly; without it we use node:crypto (OpenSSL), also sound, only slower.
 */
function loadNative(): NativeSecp256k1 | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}
const native = process.env.AROD_SECP256K1 === "openssl" ? undefined : loadNative();

/** Which verifier is in use: "libsecp256k1" or "openssl". */
export const secp256k1Backend: "libsecp256k1" | "openssl" = native ? "libsecp256k1" : "openssl";

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

function wellFormed(signature: Uint8Array, pubkey: Uint8Array): boolean {
  if (signature.length !== 64 || pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return false;
  const s = BigInt("0x" + Buffer.from(signature.subarray(32)).toString("hex"));
  return s !== 0n && s <= HALF_ORDER;
}

/** The OpenSSL path (node:crypto): the fallback, and the reference in tests. */
export function verifySecp256k1OpenSsl(message: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): boolean {
  if (!wellFormed(signature, pubkey)) return false;
  try {
    return verify("sha256", message, { key: keyObject(pubkey), dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false; // not a point on the curve
  }
}

/**
 * Cosmos secp256k1 check: 64-byte r||s, low-S only, over sha256(message), with a
 * 33-byte compressed key.
 */
export function verifySecp256k1(message: Uint8Array, signature: Uint8Array, pubkey: Uint8Array): boolean {
  if (!native) return verifySecp256k1OpenSsl(message, signature, pubkey);
  if (!wellFormed(signature, pubkey)) return false;
  try {
    return native.ecdsaVerify(signature, sha256(message), pubkey);
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
