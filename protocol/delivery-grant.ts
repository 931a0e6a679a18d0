import type { DeliveryGrant, Receipt } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { addressFromBytes } from "../chain/address.ts";
import { grantSignBytes, MAX_GRANT_ROOTS } from "../chain/delivery-grant.ts";
import { receiptSignBytes } from "../chain/delivery-receipt.ts";
import { addressBytesOf, verifySecp256k1 } from "../chain/crypto/secp256k1.ts";

/** What a grant's receipt is checked against besides itself: the chain's id and its max_grant_epochs. */
export interface GrantRules {
  readonly chainId: string;
  readonly maxGrantEpochs: bigint;
}

/**
 * Why a receipt is refused: its range, its key or signature, or for a grant's receipt the
 * grant (malformed, another chain, too long-lived, not its publisher's receipt), the grant's
 * signature, the content out of the grant's scope, or an epoch at or after its expiry.
 */
export type ReceiptFaultKind = "range" | "key" | "signature" | "grant" | "grant-signature" | "scope" | "expired";
export interface ReceiptFault {
  readonly kind: ReceiptFaultKind;
  readonly reason: string;
}

const ROOT = /^[0-9a-f]{64}$/;
const isCompressedKey = (k: Uint8Array) => k.length === 33 && (k[0] === 2 || k[0] === 3);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The grant's terms on their own: well formed and for this chain (its signature apart). */
export function grantShapeFault(g: DeliveryGrant, chainId: string): ReceiptFault | undefined {
  if (g.chainId !== chainId) return { kind: "grant", reason: `grant is for chain ${JSON.stringify(g.chainId.slice(0, 64))}, this is ${chainId}` };
  if (!isCompressedKey(g.publisherPubkey)) return { kind: "grant", reason: "publisher_pubkey must be a 33-byte compressed secp256k1 key" };
  if (addressFromBytes(addressBytesOf(g.publisherPubkey)) !== g.publisher) return { kind: "grant", reason: "publisher_pubkey does not belong to publisher" };
  if (!isCompressedKey(g.sessionKey)) return { kind: "grant", reason: "session_key must be a 33-byte compressed secp256k1 key" };
  if (g.roots.length === 0 || g.roots.length > MAX_GRANT_ROOTS) return { kind: "grant", reason: `a grant lists 1 to ${MAX_GRANT_ROOTS} content roots, this one ${g.roots.length}` };
  for (const [i, root] of g.roots.entries()) {
    if (!ROOT.test(root)) return { kind: "grant", reason: `root ${i} is not a content root (64 lower-case hex)` };
    if (g.roots.indexOf(root) !== i) return { kind: "grant", reason: `root ${root} listed twice` };
  }
  if (g.capBytes === 0n) return { kind: "grant", reason: "cap_bytes must be positive" };
  return undefined;
}

const grantSignatureVerifies = (g: DeliveryGrant) => verifySecp256k1(grantSignBytes(g), g.signature, g.publisherPubkey);

/** The grant on its own: well formed, for this chain, signed by its publisher's key. */
export function grantFault(g: DeliveryGrant, chainId: string): ReceiptFault | undefined {
  const shape = grantShapeFault(g, chainId);
  if (shape) return shape;
  if (!grantSignatureVerifies(g)) return { kind: "grant-signature", reason: `grant of ${g.publisher} nonce ${g.nonce}: the publisher's signature does not verify` };
  return undefined;
}

/**
 * A receipt signed under a grant: the grant is sound, the receipt names the grant's publisher
 * as its client and its session key as its key, is for one of the grant's contents and an
 * epoch before its expiry (and no more than max_grant_epochs before it), and the session key
 * signed it. What a grant has left of its cap is the chain's state, checked apart.
 */
export function grantReceiptFault(r: Receipt, g: DeliveryGrant, rules: GrantRules): ReceiptFault | undefined {
  const shape = grantShapeFault(g, rules.chainId);
  if (shape) return shape;
  if (r.client !== g.publisher) return { kind: "grant", reason: `a grant's receipt names its publisher ${g.publisher} as client, not ${r.client}` };
  if (!sameBytes(r.clientPubkey, g.sessionKey)) return { kind: "key", reason: "client_pubkey must be the grant's session_key" };
  if (!g.roots.includes(r.contentId)) return { kind: "scope", reason: `content ${JSON.stringify(r.contentId.slice(0, 80))} is not one of the grant's ${g.roots.length} roots` };
  if (r.epoch >= g.expiresEpoch) return { kind: "expired", reason: `the grant pays for epochs before ${g.expiresEpoch}, the receipt is for epoch ${r.epoch}` };
  if (g.expiresEpoch - r.epoch > rules.maxGrantEpochs) return { kind: "grant", reason: `the grant expires at epoch ${g.expiresEpoch}, more than max_grant_epochs (${rules.maxGrantEpochs}) after the receipt's epoch ${r.epoch}` };
  if (!grantSignatureVerifies(g)) return { kind: "grant-signature", reason: `grant of ${g.publisher} nonce ${g.nonce}: the publisher's signature does not verify` };
  if (!verifySecp256k1(receiptSignBytes(r), r.signature, r.clientPubkey)) return { kind: "signature", reason: `receipt of session key under ${g.publisher}'s grant nonce ${r.nonce}` };
  return undefined;
}
