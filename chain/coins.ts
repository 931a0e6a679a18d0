import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { sdkErrors } from "./errors.ts";

export const BASE_DENOM = "uaro";
const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
/** The SDK's math.Int holds 256 bits; amounts beyond are refused rather than wrapped. */
export const MAX_AMOUNT = (1n << 256n) - 1n;

export interface Amount {
  readonly denom: string;
  readonly amount: bigint;
}

export function validateDenom(denom: string): void {
  if (!DENOM_RE.test(denom)) throw sdkErrors.invalidCoins.wrap(`invalid denom ${JSON.stringify(denom)}`);
}

export function parseAmount(text: string, what = "amount"): bigint {
  if (typeof text !== "string" || !/^\d+$/.test(text)) throw sdkErrors.invalidCoins.wrap(`${what} ${JSON.stringify(text)} is not a non-negative integer`);
  const n = BigInt(text);
  if (n > MAX_AMOUNT) throw sdkErrors.invalidCoins.wrap(`${what} ${text} overflows 256 bits`);
  return n;
}

/**
 * Validates a list of wire coins as the SDK's Coins.Validate: positive amounts,
 * valid denoms, sorted by denom, no duplicates. Empty is allowed only if allowEmpty.
 */
export function toAmounts(coins: readonly Coin[], { allowEmpty = false, allowZero = false } = {}): Amount[] {
  if (coins.length === 0 && !allowEmpty) throw sdkErrors.invalidCoins.wrap("no coins given");
  const out: Amount[] = [];
  for (const c of coins) {
    validateDenom(c.denom);
    const amount = parseAmount(c.amount, `amount of ${c.denom}`);
    if (amount === 0n && !allowZero) throw sdkErrors.invalidCoins.wrap(`coin ${c.amount}${c.denom} is not positive`);
    const prev = out[out.length - 1];
    if (prev && prev.denom >= c.denom) {
      throw sdkErrors.invalidCoins.wrap(prev.denom === c.denom ? `duplicate denomination ${c.denom}` : `coins are not sorted by denom: ${prev.denom} before ${c.denom}`);
    }
    out.push({ denom: c.denom, amount });
  }
  return out;
}

export function toWireCoins(amounts: readonly Amount[]): Coin[] {
  return amounts.map((a) => ({ denom: a.denom, amount: a.amount.toString() }));
}

/** "100uaro,5foo" as the SDK prints coins (empty string for none). */
export function formatCoins(amounts: readonly Amount[]): string {
  return amounts.map((a) => `${a.amount}${a.denom}`).join(",");
}

/** Parses "100uaro,5foo" (CLI and genesis input); sorts by denom. */
export function parseCoins(text: string): Amount[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(",").map((p) => p.trim());
  const wire = parts.map((p) => {
    const m = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(p);
    if (!m) throw sdkErrors.invalidCoins.wrap(`cannot parse coin ${JSON.stringify(p)} (expected e.g. 1000uaro)`);
    return { amount: m[1], denom: m[2] };
  });
  wire.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  return toAmounts(wire);
}

export function sumAmounts(lists: ReadonlyArray<readonly Amount[]>): Amount[] {
  const totals = new Map<string, bigint>();
  for (const list of lists) for (const a of list) totals.set(a.denom, (totals.get(a.denom) ?? 0n) + a.amount);
  return [...totals].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([denom, amount]) => ({ denom, amount }));
}

/** A positive amount of exactly `denom` from a wire coin (bonds, stakes, escrow deposits). */
export function positiveAmountIn(coin: Coin | undefined, denom: string): bigint {
  if (!coin) throw sdkErrors.invalidCoins.wrap("amount is missing");
  if (coin.denom !== denom) throw sdkErrors.invalidCoins.wrap(`got ${coin.denom}, expected ${denom}`);
  const amount = parseAmount(coin.amount);
  if (amount === 0n) throw sdkErrors.invalidCoins.wrap("amount must be positive");
  return amount;
}
