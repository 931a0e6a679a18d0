import type { DenomInfo } from "./facts.ts";

/** A denom as wallets show it: Keplr's Currency (coinDenom, coinMinimalDenom, coinDecimals). */
export interface Currency {
  readonly coinDenom: string;
  readonly coinMinimalDenom: string;
  readonly coinDecimals: number;
}

/**
 * How `denom` is displayed: from its bank metadata (the display unit's exponent, the symbol)
 * when the chain has it; otherwise the Cosmos convention of a "u" prefix meaning 10^-6 ("uxyz"
 * shown as XYZ with 6 decimals), else the denom itself with 0 decimals.
 */
export function currencyOf(denom: string, denoms: readonly DenomInfo[]): Currency {
  const meta = denoms.find((d) => d.base === denom);
  const display = meta?.units.find((u) => u.denom === meta.display);
  if (meta && display) {
    return { coinDenom: meta.symbol || meta.display.toUpperCase(), coinMinimalDenom: denom, coinDecimals: display.exponent };
  }
  if (/^u[a-z][a-z0-9]{1,}$/.test(denom)) return { coinDenom: denom.slice(1).toUpperCase(), coinMinimalDenom: denom, coinDecimals: 6 };
  return { coinDenom: denom.toUpperCase(), coinMinimalDenom: denom, coinDecimals: 0 };
}

/** The chain's denoms a wallet lists: the staking and fee denoms first, then every other one with metadata. */
export function currenciesOf(first: readonly string[], denoms: readonly DenomInfo[]): Currency[] {
  const order = [...new Set([...first, ...denoms.map((d) => d.base)])];
  return order.map((d) => currencyOf(d, denoms));
}
