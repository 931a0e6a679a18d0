import { sdkErrors } from "../errors.ts";

/** A node's minimum gas price, e.g. "0.025uaro", held as an exact fraction. */
export interface GasPrice {
  readonly denom: string;
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function parseGasPrice(text: string): GasPrice {
  const m = /^(\d+)(?:\.(\d{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (!m) throw sdkErrors.invalidCoins.wrap(`cannot parse gas price ${JSON.stringify(text)} (expected e.g. 0.025uaro)`);
  const frac = m[2] ?? "";
  return { denom: m[3], numerator: BigInt(m[1] + frac), denominator: 10n ** BigInt(frac.length) };
}

/** The smallest fee, in the price's denom, for gasLimit: ceil(limit * price). */
export function requiredFee(price: GasPrice, gasLimit: bigint): bigint {
  return (gasLimit * price.numerator + price.denominator - 1n) / price.denominator;
}

export function formatGasPrice(p: GasPrice): string {
  const whole = p.numerator / p.denominator;
  const frac = (p.numerator % p.denominator).toString().padStart(p.denominator.toString().length - 1, "0");
  return p.denominator === 1n ? `${whole}${p.denom}` : `${whole}.${frac}${p.denom}`;
}
