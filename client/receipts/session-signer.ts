import { secp256k1 } from "@noble/curves/secp256k1.js";
import { DeliveryGrant, Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { grantId } from "../../chain/delivery-grant.ts";
import { receiptSignBytes } from "../../chain/delivery-receipt.ts";

/**
 * An end user's side of a delivery grant: a session key, made in the browser, whose public
 * key the publisher puts in a grant (client/receipts/grant.ts signGrant); with the grant it
 * signs the receipts for what nodes deliver, which the publisher's escrow pays. Pure ESM with
 * no Node built-ins (randomness from globalThis.crypto).
 */

/** The wire codecs a page needs: a grant from its publisher (DeliveryGrant.fromJSON / decode), a receipt to POST /receipt (Receipt.encode). */
export { DeliveryGrant, Receipt };

export interface SessionKey {
  /** 32-byte secp256k1 secret: keep it in the page (or sessionStorage), never send it */
  readonly privateKey: Uint8Array;
  /** 33-byte compressed public key: what the publisher's grant names as session_key */
  readonly publicKey: Uint8Array;
}

export function generateSessionKey(): SessionKey {
  return sessionKeyFrom(secp256k1.utils.randomSecretKey());
}

export function sessionKeyFrom(privateKey: Uint8Array): SessionKey {
  return { privateKey, publicKey: secp256k1.getPublicKey(privateKey, true) };
}

/** A fresh receipt nonce: random 64 bits. */
export function randomNonce(): bigint {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return b.reduce((n, x) => (n << 8n) | BigInt(x), 0n);
}

/** What a node delivered: one contiguous byte range of one content, in one epoch. */
export interface Delivery {
  readonly nodeId: bigint;
  /** the content root (64 hex): one of the grant's roots */
  readonly contentId: string;
  readonly rangeStart: bigint;
  /** exclusive */
  readonly rangeEnd: bigint;
  /** the chain's current epoch (aro.gpow.v1.Query/EpochInfo) */
  readonly epoch: bigint;
  /** random when not given */
  readonly nonce?: bigint;
}

/**
 * Signs receipts under one grant with its session key. It keeps the running total per node
 * and epoch that each receipt carries (the node refuses a receipt whose total does not cover
 * what it already holds), and refuses what the chain would: content out of the grant's
 * scope, an epoch at or after its expiry, and more bytes in all than its cap.
 */
export class GrantReceiptSigner {
  readonly grantId: string;
  private readonly totals = new Map<string, bigint>();
  private signed = 0n;

  constructor(private readonly key: SessionKey, readonly grant: DeliveryGrant) {
    if (key.publicKey.length !== grant.sessionKey.length || key.publicKey.some((b, i) => b !== grant.sessionKey[i])) throw new Error("the grant is for another session key");
    this.grantId = grantId(grant);
  }

  /** Bytes this signer has receipted under the grant, over every node and epoch. */
  get signedBytes(): bigint {
    return this.signed;
  }

  sign(d: Delivery): Receipt {
    const g = this.grant;
    const bytes = d.rangeEnd - d.rangeStart;
    if (bytes <= 0n) throw new Error(`empty range ${d.rangeStart}..${d.rangeEnd}`);
    if (!g.roots.includes(d.contentId)) throw new Error(`content ${d.contentId} is not in the grant's scope`);
    if (d.epoch >= g.expiresEpoch) throw new Error(`the grant expired at epoch ${g.expiresEpoch} (this is epoch ${d.epoch})`);
    if (this.signed + bytes > g.capBytes) throw new Error(`the grant's cap is ${g.capBytes} bytes: ${this.signed} receipted, ${bytes} more is over it`);
    const line = `${d.nodeId}/${d.epoch}`;
    const totalBytes = (this.totals.get(line) ?? 0n) + bytes;
    const unsigned: Receipt = {
      nodeId: d.nodeId, client: g.publisher, clientPubkey: this.key.publicKey, contentId: d.contentId, rangeStart: d.rangeStart, rangeEnd: d.rangeEnd,
      bytes, epoch: d.epoch, nonce: d.nonce ?? randomNonce(), signature: new Uint8Array(), totalBytes, grant: g,
    };
    const signature = secp256k1.sign(receiptSignBytes(unsigned), this.key.privateKey);
    this.totals.set(line, totalBytes);
    this.signed += bytes;
    return { ...unsigned, signature };
  }
}
