import { sdkErrors } from "./errors.ts";

/**
 * The SDK's LegacyDec: a fixed-point decimal with 18 digits, held as a bigint scaled
 * by 10^18. On the protobuf wire it is the integer string without a point
 * ("1000000000000000000" = 1.0), which is what CosmJS decodes.
 */
export const DEC_ONE = 10n ** 18n;

export function decFromWire(s: string, what = "decimal"): bigint {
  if (s === "") return 0n;
  if (!/^-?\d+$/.test(s)) throw sdkErrors.invalidRequest.wrap(`${what} ${JSON.stringify(s)} is not a valid decimal`);
  return BigInt(s);
}

export const decToWire = (d: bigint): string => d.toString();

/** "0.05" → 5 * 10^16; also accepts integers ("1"). */
export function decFromString(s: string, what = "decimal"): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(s.trim());
  if (!m) throw sdkErrors.invalidRequest.wrap(`${what} ${JSON.stringify(s)} is not a decimal like 0.05`);
  return BigInt(m[1]) * DEC_ONE + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** 5 * 10^16 → "0.050000000000000000", as the SDK prints a Dec. */
export function decToString(d: bigint): string {
  const neg = d < 0n;
  const a = neg ? -d : d;
  return `${neg ? "-" : ""}${a / DEC_ONE}.${(a % DEC_ONE).toString().padStart(18, "0")}`;
}

/** floor(a * b / c) for non-negative integers. */
export function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  if (c === 0n) throw sdkErrors.internal.wrap("division by zero");
  return (a * b) / c;
}
