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

const moduleAddresses = new Map<string, string>();

/** Address of a module account: sha256(name)[:20], as the SDK's NewModuleAddress (remembered: every fee asks for it). */
export function moduleAddress(name: string): string {
  let address = moduleAddresses.get(name);
  if (address === undefined) {
    address = addressFromBytes(createHash("sha256").update(name).digest().subarray(0, 20));
    // module names are a fixed set in code; the bound guards against a caller passing user input
    if (moduleAddresses.size < 1024) moduleAddresses.set(name, address);
  }
  return address;
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
