import { randomBytes, scryptSync } from "node:crypto";
import { secretbox } from "@noble/ciphers/salsa.js";
import { sdkErrors } from "../errors.ts";
import { decodeArmor, encodeArmor } from "./armor.ts";

/**
 * A secp256k1 private key as `simd keys export` writes it (the SDK's crypto/armor.go): the
 * key's amino encoding sealed with xsalsa20-poly1305 (nacl secretbox, the 24-byte nonce in
 * front) under a key derived from the passphrase by scrypt (the SDK's default KDF, with its
 * parameters in the "kdfparams" header), in a "TENDERMINT PRIVATE KEY" armor.
 * The SDK's older "kdf: bcrypt" exports are refused with a clear error: no bcrypt library is
 * installed here.
 */
export const PRIVATE_KEY_BLOCK = "TENDERMINT PRIVATE KEY";
export const SCRYPT_DEFAULT = { n: 1 << 15, r: 8, p: 1, dklen: 32 } as const;
/** amino's prefix for tendermint/PrivKeySecp256k1 and the 32-byte length. */
const AMINO_SECP256K1_PRIVKEY = Uint8Array.from([0xe1, 0xb0, 0xf7, 0x9b, 0x20]);
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
/** Bounds on a file's scrypt parameters, so a hostile file cannot ask for gigabytes or hours. */
const SCRYPT_MAX = { n: 1 << 20, r: 32, p: 16 };

const wrongPassphrase = () => sdkErrors.invalidRequest.wrap("cannot decrypt the key: wrong passphrase, or the file was changed");

type ScryptParams = { n: number; r: number; p: number; dklen: number };

function parseScryptParams(text: string | undefined): ScryptParams {
  const m = /^n=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3}),dklen=(\d{1,3})$/.exec(text ?? "");
  if (!m) throw sdkErrors.invalidRequest.wrap(`invalid scrypt kdfparams ${JSON.stringify(text ?? "")} (want n=…,r=…,p=…,dklen=32)`);
  const [n, r, p, dklen] = m.slice(1).map(Number);
  if (n < 2 || (n & (n - 1)) !== 0 || n > SCRYPT_MAX.n || r < 1 || r > SCRYPT_MAX.r || p < 1 || p > SCRYPT_MAX.p || dklen !== 32) {
    throw sdkErrors.invalidRequest.wrap(`scrypt kdfparams ${text} out of bounds (n a power of 2 up to ${SCRYPT_MAX.n}, r up to ${SCRYPT_MAX.r}, p up to ${SCRYPT_MAX.p}, dklen 32)`);
  }
  return { n, r, p, dklen };
}

function deriveKey(headers: Readonly<Record<string, string>>, passphrase: string): Uint8Array {
  const salt = headers.salt ?? "";
  if (!/^([0-9A-Fa-f]{2}){8,64}$/.test(salt)) throw sdkErrors.invalidRequest.wrap("missing or malformed salt header");
  if (headers.kdf === "bcrypt") throw sdkErrors.notSupported.wrap("this key was exported with kdf bcrypt (Cosmos SDK before scrypt became its default): no bcrypt library is installed; export it again from a newer SDK, or import its mnemonic");
  if (headers.kdf !== "scrypt") throw sdkErrors.invalidRequest.wrap(`unrecognized KDF type ${JSON.stringify(headers.kdf ?? "")}`);
  const { n, r, p, dklen } = parseScryptParams(headers.kdfparams);
  return scryptSync(passphrase, Buffer.from(salt, "hex"), dklen, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
}

/** The armored, passphrase-encrypted form of a 32-byte secp256k1 private key. */
export function encryptArmorPrivKey(privkey: Uint8Array, passphrase: string): string {
  if (privkey.length !== 32) throw sdkErrors.invalidRequest.wrap("a secp256k1 private key is 32 bytes");
  const d = SCRYPT_DEFAULT;
  const headers = { kdf: "scrypt", kdfparams: `n=${d.n},r=${d.r},p=${d.p},dklen=${d.dklen}`, salt: randomBytes(16).toString("hex").toUpperCase(), type: "secp256k1" };
  const nonce = new Uint8Array(randomBytes(NONCE_LENGTH));
  const sealed = secretbox(deriveKey(headers, passphrase), nonce).seal(Uint8Array.from([...AMINO_SECP256K1_PRIVKEY, ...privkey]));
  return encodeArmor({ blockType: PRIVATE_KEY_BLOCK, headers, data: Uint8Array.from([...nonce, ...sealed]) });
}

/** The private key in an armored export; throws a coded error for a wrong passphrase, another block or key type, or a damaged file. */
export function unarmorDecryptPrivKey(armored: string, passphrase: string): Uint8Array {
  const { blockType, headers, data } = decodeArmor(armored);
  if (blockType !== PRIVATE_KEY_BLOCK) throw sdkErrors.invalidRequest.wrap(`unrecognized armor type ${JSON.stringify(blockType)}, expected ${JSON.stringify(PRIVATE_KEY_BLOCK)}`);
  const type = headers.type || "secp256k1";
  if (type !== "secp256k1") throw sdkErrors.notSupported.wrap(`key type ${JSON.stringify(type)}: only secp256k1 keys are supported`);
  if (data.length <= NONCE_LENGTH + TAG_LENGTH) throw sdkErrors.invalidRequest.wrap("ciphertext is too short");
  const key = deriveKey(headers, passphrase);
  let plain: Uint8Array;
  try {
    plain = secretbox(key, data.subarray(0, NONCE_LENGTH)).open(data.subarray(NONCE_LENGTH));
  } catch {
    throw wrongPassphrase();
  }
  const prefixed = plain.length === 37 && AMINO_SECP256K1_PRIVKEY.every((b, i) => plain[i] === b);
  if (!prefixed) throw sdkErrors.notSupported.wrap("the decrypted key is not an amino tendermint/PrivKeySecp256k1");
  return plain.slice(AMINO_SECP256K1_PRIVKEY.length);
}
