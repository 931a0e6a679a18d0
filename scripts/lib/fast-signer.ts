import { createECDH, createHash, createPrivateKey, sign, type KeyObject } from "node:crypto";
import { TxBody, AuthInfo, SignDoc, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { toBech32 } from "@cosmjs/encoding";
import { BECH32_PREFIX } from "../../chain/address.ts";
import { addressBytesOf } from "../../chain/crypto/secp256k1.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface TxOptions { chainId: string; accountNumber: bigint; sequence: bigint; gas: bigint; fee: string; /** of the fee and amounts; default uaro */ denom?: string }

/** A secp256k1 account that signs with Node's OpenSSL (for benchmarks that pre-sign many txs). */
export class FastAccount {
  readonly pubkey: Uint8Array;
  readonly address: string;
  private readonly key: KeyObject;

  /** prefix: the chain's bech32 account prefix (another chain's, such as simd's "cosmos", for comparisons) */
  constructor(seed: string, prefix = BECH32_PREFIX) {
    const priv = createHash("sha256").update(seed).digest();
    const ecdh = createECDH("secp256k1");
    ecdh.setPrivateKey(priv);
    this.pubkey = new Uint8Array(ecdh.getPublicKey(null, "compressed"));
    this.address = toBech32(prefix, addressBytesOf(this.pubkey));
    // SEC1 ECPrivateKey DER: version 1, the key, curve secp256k1
    const der = Buffer.concat([Buffer.from("302e0201010420", "hex"), priv, Buffer.from("a00706052b8104000a", "hex")]);
    this.key = createPrivateKey({ key: der, format: "der", type: "sec1" });
  }

  /** 64-byte r||s, low-S, over sha256(message): what Cosmos expects. */
  sign(message: Uint8Array): Uint8Array {
    const sig = sign("sha256", message, { key: this.key, dsaEncoding: "ieee-p1363" });
    const s = BigInt("0x" + sig.subarray(32).toString("hex"));
    if (s > N / 2n) sig.set(Buffer.from((N - s).toString(16).padStart(64, "0"), "hex"), 32);
    return new Uint8Array(sig);
  }

  /** A signed MsgSend tx (SIGN_MODE_DIRECT) ready for broadcast_tx_sync. */
  signedSend(o: { to: string; amount: string } & TxOptions): Uint8Array {
    const send = MsgSend.encode({ fromAddress: this.address, toAddress: o.to, amount: [{ denom: o.denom ?? "uaro", amount: o.amount }] }).finish();
    return this.signedTx([{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }], o);
  }

  /** A signed tx (SIGN_MODE_DIRECT) of any messages, ready for broadcast_tx_sync. */
  signedTx(messages: Array<{ typeUrl: string; value: Uint8Array }>, o: TxOptions): Uint8Array {
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages })).finish();
    const authInfoBytes = AuthInfo.encode(AuthInfo.fromPartial({
      signerInfos: [{
        publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: this.pubkey }).finish() },
        modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
        sequence: o.sequence,
      }],
      fee: { amount: [{ denom: o.denom ?? "uaro", amount: o.fee }], gasLimit: o.gas },
    })).finish();
    const signDoc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId: o.chainId, accountNumber: o.accountNumber }).finish();
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [this.sign(signDoc)] }).finish();
  }

  signDocFor(message: Uint8Array): { message: Uint8Array; signature: Uint8Array } {
    return { message, signature: this.sign(message) };
  }
}
