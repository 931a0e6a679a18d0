import type { Receipt } from "../proto/gen/aro/gpow/v1/gpow.ts";
import { addressFromBytes } from "../chain/address.ts";
import { receiptSignBytes } from "../chain/delivery-receipt.ts";
import { addressBytesOf, verifySecp256k1 } from "../chain/crypto/secp256k1.ts";
import { DEC_ONE } from "../chain/dec.ts";
import { GB } from "./units.ts";
import { grantReceiptFault, type GrantRules, type ReceiptFault } from "./delivery-grant.ts";

export { grantFault, grantShapeFault, type GrantRules, type ReceiptFault, type ReceiptFaultKind } from "./delivery-grant.ts";

/**
 * What is wrong with a receipt on its own: its byte range, or its client's key and
 * signature, or for a receipt signed under a publisher's grant the grant and the receipt's
 * place in it (protocol/delivery-grant.ts); undefined when sound. The chain (gpow) and every
 * node's agent apply the same check, so a node keeps only receipts the chain will accept.
 */
export function receiptFault(r: Receipt, rules: GrantRules): ReceiptFault | undefined {
  if (r.rangeEnd <= r.rangeStart || r.bytes !== r.rangeEnd - r.rangeStart) return { kind: "range", reason: "bytes must equal range_end - range_start > 0" };
  if (r.grant) return grantReceiptFault(r, r.grant, rules);
  if (r.clientPubkey.length !== 33) return { kind: "key", reason: "client_pubkey must be a 33-byte compressed secp256k1 key" };
  if (addressFromBytes(addressBytesOf(r.clientPubkey)) !== r.client) return { kind: "key", reason: "client_pubkey does not belong to client" };
  if (!verifySecp256k1(receiptSignBytes(r), r.signature, r.clientPubkey)) return { kind: "signature", reason: `receipt of ${r.client} nonce ${r.nonce}` };
  return undefined;
}

/** What a delivery of `bytes` costs at `perGbDelivered` (a Dec scaled by DEC_ONE), rounded down: the chain's and the agents' rule. */
export function deliveryCostAt(bytes: bigint, perGbDelivered: bigint): bigint {
  return (bytes * perGbDelivered) / (GB * DEC_ONE);
}

/** The same price rounded up: what a customer allots so that a node's floor-rounded charge is always covered. */
export function deliveryCostCeil(bytes: bigint, perGbDelivered: bigint): bigint {
  const unit = GB * DEC_ONE;
  return (bytes * perGbDelivered + unit - 1n) / unit;
}
