import { createHash } from "node:crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { sdkErrors } from "./errors.ts";

export const BECH32_PREFIX = "aro";

/** Decodes a bech32 address with the expected prefix and byte lengths, or throws sdk/7. */
function checkBech32(address: string, prefix: string, lengths: readonly number[], field: string): string {
  if (typeof address !== "string" || address.length === 0) throw sdkErrors.invalidAddress.wrap(`${field} is empty`);
  let decoded;
  try {
    decoded = fromBech32(address, 90);
  } catch (err) {
    throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${JSON.stringify(address)}: ${(err as Error).message}`);
  }
  if (decoded.prefix !== prefix) throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: expected prefix "${prefix}", got "${decoded.prefix}"`);
  if (!lengths.includes(decoded.data.length)) {
    throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: ${decoded.data.length} bytes, want ${lengths.join(" or ")}`);
  }
  if (address !== address.toLowerCase()) throw sdkErrors.invalidAddress.wrap(`invalid ${field} ${address}: must be lower case`);
  return address;
}

/** Checks a bech32 account address (prefix aro, 20 or 32 bytes) and returns it unchanged. */
export function validateAddress(address: string, field = "address"): string {
  return checkBech32(address, BECH32_PREFIX, [20, 32], field);
}

export function addressFromBytes(bytes: Uint8Array): string {
  return toBech32(BECH32_PREFIX, bytes);
}

/** Address of a module account: sha256(name)[:20], as the SDK's NewModuleAddress. */
export function moduleAddress(name: string): string {
  return addressFromBytes(createHash("sha256").update(name).digest().subarray(0, 20));
}

export const VALOPER_PREFIX = "arovaloper";
export const VALCONS_PREFIX = "arovalcons";

/** Checks a validator operator address (arovaloper1..., 20 bytes). */
export function validateValoperAddress(address: string, field = "validator address"): string {
  return checkBech32(address, VALOPER_PREFIX, [20], field);
}

/** aro1... → arovaloper1... (same bytes). */
export function toValoper(account: string): string {
  return toBech32(VALOPER_PREFIX, fromBech32(account, 90).data);
}

/** arovaloper1... → aro1... (the operator's account). */
export function valoperToAccount(valoper: string): string {
  return toBech32(BECH32_PREFIX, fromBech32(valoper, 90).data);
}
