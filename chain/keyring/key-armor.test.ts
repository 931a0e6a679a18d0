import assert from "node:assert/strict";
import { crc24, decodeArmor, encodeArmor } from "./armor.ts";
import { encryptArmorPrivKey, unarmorDecryptPrivKey } from "./key-armor.ts";

describe("keyring: armored private keys (the SDK's keys export format)", () => {
  it("CRC-24 is RFC 4880's (check value of \"123456789\")", () => {
    assert.equal(crc24(new TextEncoder().encode("123456789")), 0x21cf02);
  });

  it("armor round-trips and catches a changed body", () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const text = encodeArmor({ blockType: "TENDERMINT PRIVATE KEY", headers: { salt: "AB", kdf: "scrypt" }, data });
    assert.match(text, /^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: scrypt\nsalt: AB\n\n(?:[A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/=]+\n=[A-Za-z0-9+/]{4}\n-----END TENDERMINT PRIVATE KEY-----$/);
    assert.deepEqual(decodeArmor(text), { blockType: "TENDERMINT PRIVATE KEY", headers: { kdf: "scrypt", salt: "AB" }, data });
    assert.throws(() => decodeArmor(text.replace(/\n[A-Z]/, "\nB")), /checksum mismatch/);
    assert.throws(() => decodeArmor("hello"), /no -----BEGIN/);
    assert.throws(() => decodeArmor("x".repeat(70_000)), /at most/);
  });

  it("encrypts with a passphrase and decrypts only with it", () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    const armored = encryptArmorPrivKey(key, "a passphrase");
    assert.deepEqual(unarmorDecryptPrivKey(armored, "a passphrase"), key);
    assert.throws(() => unarmorDecryptPrivKey(armored, "another one"), /wrong passphrase/);
    assert.throws(() => unarmorDecryptPrivKey(armored.replace("n=32768", "n=2097152"), "a passphrase"), /out of bounds/);
    assert.throws(() => unarmorDecryptPrivKey(armored.replace("type: secp256k1", "type: ed25519"), "a passphrase"), /only secp256k1/);
    assert.throws(() => unarmorDecryptPrivKey(armored.replace("TENDERMINT PRIVATE KEY", "TENDERMINT PUBLIC KEY").replace("TENDERMINT PRIVATE KEY", "TENDERMINT PUBLIC KEY"), "a passphrase"), /unrecognized armor type/);
  });
});
