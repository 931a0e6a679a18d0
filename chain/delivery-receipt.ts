import { Receipt } from "../proto/gen/aro/gpow/v1/gpow.ts";

/**
 * The bytes a client signs for a delivery receipt: the receipt with an empty signature.
 * One definition for the chain (which verifies) and the clients and nodes (which sign
 * and check before keeping).
 */
export function receiptSignBytes(r: Receipt): Uint8Array {
  return Receipt.encode({ ...r, signature: new Uint8Array() }).finish();
}
