import assert from "node:assert/strict";
import { Secp256k1, sha256 as cosmSha256 } from "@cosmjs/crypto";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { verifySecp256k1 as verifyNative, verifySecp256k1OpenSsl, secp256k1Backend, addressBytesOf } from "../crypto/secp256k1.ts";
import { addressFromBytes } from "../address.ts";
import { decodeTx } from "./decode.ts";
import { parseGasPrice, requiredFee, formatGasPrice } from "./min-gas-price.ts";
import { AppError } from "../errors.ts";
import { bankMsgs } from "../../modules/bank/msgs.ts";
import { newAccount } from "../../app/testnet/local-node.ts";
import { sendMsg, signTx } from "../../test/support/sign.ts";

const routes = new Map(bankMsgs.map((r) => [r.typeUrl, r]));
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return `${e.codespace}/${e.code}`;
    throw e;
  }
  return "ok";
}

describe("crypto: secp256k1 verification (libsecp256k1, and OpenSSL as fallback)", () => {
  it("uses the native libsecp256k1 binding on this machine", () => {
    assert.equal(secp256k1Backend, "libsecp256k1");
  });

  for (const [name, verifySecp256k1] of [["libsecp256k1", verifyNative], ["openssl", verifySecp256k1OpenSsl]] as const)
  it(`${name}: accepts a CosmJS signature, rejects tampering and high-S twins`, async () => {
    const key = await Secp256k1.makeKeypair(cosmSha256(new TextEncoder().encode("seed")));
    const pub = Secp256k1.compressPubkey(key.pubkey);
    const msg = new TextEncoder().encode("sign me");
    const sig = await Secp256k1.createSignature(cosmSha256(msg), key.privkey);
    const rs = new Uint8Array([...sig.r(32), ...sig.s(32)]);
    assert.equal(verifySecp256k1(msg, rs, pub), true);
    assert.equal(verifySecp256k1(new TextEncoder().encode("sign mE"), rs, pub), false);
    const s = BigInt("0x" + Buffer.from(sig.s(32)).toString("hex"));
    const highS = Buffer.from((N - s).toString(16).padStart(64, "0"), "hex");
    assert.equal(verifySecp256k1(msg, new Uint8Array([...sig.r(32), ...highS]), pub), false, "malleable high-S form refused");
    assert.equal(verifySecp256k1(msg, rs.subarray(1), pub), false);
    assert.equal(verifySecp256k1(msg, rs, new Uint8Array(33).fill(2)), false, "not a curve point");
  });

  it("derives the same address as CosmJS", async () => {
    const a = await newAccount();
    const [acct] = await a.wallet.getAccounts();
    assert.equal(addressFromBytes(addressBytesOf(acct.pubkey)), a.address);
  });
});

describe("tx: stateless decoding and checks", () => {
  it("decodes a CosmJS-signed tx with its signer, sequence and fee", async () => {
    const a = await newAccount();
    const { bytes } = await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 3n, sequence: 7n, messages: [sendMsg(a.address, a.address, [{ denom: "uaro", amount: "1" }])] });
    const tx = decodeTx(bytes, routes);
    assert.equal(tx.signers[0].address, a.address);
    assert.equal(tx.signers[0].sequence, 7n);
    assert.equal(tx.gasLimit, 200000n);
    assert.deepEqual(tx.fee, [{ denom: "uaro", amount: 5000n }]);
    assert.match(tx.hash, /^[0-9A-F]{64}$/);
  });

  it("refuses malformed txs with the SDK's codes", async () => {
    const a = await newAccount();
    const ok = await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 0n, sequence: 0n, messages: [sendMsg(a.address, a.address, [{ denom: "uaro", amount: "1" }])] });
    assert.equal(codeOf(() => decodeTx(new Uint8Array(), routes)), "sdk/2");
    assert.equal(codeOf(() => decodeTx(Uint8Array.of(0x0a, 0x05, 1), routes)), "sdk/2");
    const noSig = TxRaw.encode({ ...ok.raw, signatures: [] }).finish();
    assert.equal(codeOf(() => decodeTx(noSig, routes)), "sdk/15");
    const twoSigs = TxRaw.encode({ ...ok.raw, signatures: [ok.raw.signatures[0], ok.raw.signatures[0]] }).finish();
    assert.equal(codeOf(() => decodeTx(twoSigs, routes)), "sdk/4");
    const noMsgs = await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 0n, sequence: 0n, messages: [], memo: "no messages" });
    assert.equal(codeOf(() => decodeTx(noMsgs.bytes, routes)), "sdk/18");
    const badCoins = await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 0n, sequence: 0n, messages: [sendMsg(a.address, a.address, [{ denom: "uaro", amount: "1" }, { denom: "aaa", amount: "1" }])] });
    assert.equal(codeOf(() => decodeTx(badCoins.bytes, routes)), "sdk/10", "unsorted coins");
  });
});

describe("tx: minimum gas price", () => {
  it("parses decimal prices exactly and rounds the required fee up", () => {
    const p = parseGasPrice("0.025uaro");
    assert.equal(requiredFee(p, 200000n), 5000n);
    assert.equal(requiredFee(p, 1n), 1n);
    assert.equal(requiredFee(parseGasPrice("1uaro"), 7n), 7n);
    assert.equal(formatGasPrice(p), "0.025uaro");
    assert.throws(() => parseGasPrice("0.025"), /cannot parse gas price/);
    assert.throws(() => parseGasPrice("-1uaro"), /cannot parse gas price/);
  });
});
