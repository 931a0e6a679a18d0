import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { sdkErrors } from "./errors.ts";

export const BECH32_PREFIX = "aro";

/** Checks a bech32 account address (prefix aro, 20 or 32 bytes) and returns it unchanged. */
export function validateAddress(address: string, field = "address"): string {
  if (typeof address !== "string" || address.length === 0) throw sdkErrors.invalidAddress.wrap(`${field} is empty`);
  let decoded;
  try {
    decoded = fromBech32(address, 90);
  } catch (err) {
    throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${JSON.stringify(address)}: ${(err as Error).message}`);
  }
  if (decoded.prefix !== BECH32_PREFIX) {
    throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: expected prefix "${BECH32_PREFIX}", got "${decoded.prefix}"`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: ${decoded.data.length} bytes, want 20 or 32`);
  }
  if (address !== address.toLowerCase()) throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: must be lower case`);
  return address;
}

export function addressFromBytes(bytes: Uint8Array): string {
  return toBech32(BECH32_PREFIX, bytes);
}
