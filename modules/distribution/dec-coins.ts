import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Amount } from "../../chain/coins.ts";
import { decFromString, decFromWire, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

/**
 * The SDK's DecCoins: amounts with 18 decimals (bigint scaled by 10^18), sorted by denom,
 * no zero entries. Reward accounting keeps fractions of a coin here and pays whole coins.
 */
export type DecCoins = readonly Amount[];

const clean = (m: Map<string, bigint>): DecCoins =>
  [...m.entries()].filter(([, a]) => a !== 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([denom, amount]) => ({ denom, amount }));

export const decCoins = {
  fromCoins: (coins: readonly Amount[]): DecCoins => clean(new Map(coins.map((c) => [c.denom, c.amount * DEC_ONE]))),

  add(a: DecCoins, b: DecCoins): DecCoins {
    const m = new Map(a.map((c) => [c.denom, c.amount]));
    for (const c of b) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
    return clean(m);
  },

  /** a - b; a negative result is a bug in the accounting, so it throws. */
  sub(a: DecCoins, b: DecCoins): DecCoins {
    const m = new Map(a.map((c) => [c.denom, c.amount]));
    for (const c of b) {
      const left = (m.get(c.denom) ?? 0n) - c.amount;
      if (left < 0n) throw sdkErrors.insufficientFunds.wrap(`decimal coins would go negative: ${formatDecCoins(a)} - ${formatDecCoins(b)}`);
      m.set(c.denom, left);
    }
    return clean(m);
  },

  /** Each amount times a decimal, truncated (the SDK's MulDecTruncate). */
  mulDecTruncate: (a: DecCoins, d: bigint): DecCoins => clean(new Map(a.map((c) => [c.denom, (c.amount * d) / DEC_ONE]))),

  /** Each amount times a decimal, rounded half to even (the SDK's MulDec). */
  mulDec: (a: DecCoins, d: bigint): DecCoins => clean(new Map(a.map((c) => [c.denom, roundHalfEven(c.amount * d, DEC_ONE)]))),

  /** Each amount divided by a decimal, truncated (the SDK's QuoDecTruncate). */
  quoDecTruncate(a: DecCoins, d: bigint): DecCoins {
    if (d <= 0n) throw sdkErrors.internal.wrap("division by a non-positive decimal");
    return clean(new Map(a.map((c) => [c.denom, (c.amount * DEC_ONE) / d])));
  },

  /** The smaller amount of each denom present in both (the SDK's Intersect). */
  intersect(a: DecCoins, b: DecCoins): DecCoins {
    const m = new Map(b.map((c) => [c.denom, c.amount]));
    return clean(new Map(a.map((c) => [c.denom, m.has(c.denom) ? (c.amount < m.get(c.denom)! ? c.amount : m.get(c.denom)!) : 0n])));
  },

  /** Whole coins and the fractional change left over (the SDK's TruncateDecimal). */
  truncate(a: DecCoins): { whole: Amount[]; change: DecCoins } {
    const whole = a.map((c) => ({ denom: c.denom, amount: c.amount / DEC_ONE })).filter((c) => c.amount > 0n);
    return { whole, change: clean(new Map(a.map((c) => [c.denom, c.amount % DEC_ONE]))) };
  },

  /** True when every denom of `b` is at least as large in `a`. */
  covers(a: DecCoins, b: DecCoins): boolean {
    const m = new Map(a.map((c) => [c.denom, c.amount]));
    return b.every((c) => (m.get(c.denom) ?? 0n) >= c.amount);
  },

  format: (a: DecCoins): string => formatDecCoins(a),
  toWire: (a: DecCoins): DecCoin[] => a.map((c) => ({ denom: c.denom, amount: c.amount.toString() })),
  fromWire: (a: readonly DecCoin[]): DecCoins => clean(new Map(a.map((c) => [c.denom, decFromWire(c.amount)]))),
  toJson: (a: DecCoins) => a.map((c) => ({ denom: c.denom, amount: decToString(c.amount) })),
  fromJson(a: unknown, what: string): DecCoins {
    if (a === undefined || a === null) return [];
    if (!Array.isArray(a)) throw sdkErrors.invalidRequest.wrap(`${what} must be a list of {denom, amount}`);
    return clean(new Map(a.map((c: { denom?: unknown; amount?: unknown }) => {
      if (typeof c?.denom !== "string" || typeof c.amount !== "string") throw sdkErrors.invalidRequest.wrap(`${what}: each coin needs a denom and a decimal amount`);
      return [c.denom, decFromString(c.amount, `${what} ${c.denom}`)];
    })));
  },
};

/** x / unit rounded to the nearest integer, ties to even (LegacyDec's chopPrecisionAndRound). */
export function roundHalfEven(x: bigint, unit: bigint): bigint {
  const q = x / unit;
  const r = x % unit;
  const twice = 2n * r;
  if (twice < unit) return q;
  if (twice > unit) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

export function formatDecCoins(a: DecCoins): string {
  return a.map((c) => `${decToString(c.amount)}${c.denom}`).join(",");
}
