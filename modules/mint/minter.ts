import type { Minter, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { decFromWire, DEC_ONE } from "../../chain/dec.ts";

/**
 * The SDK's inflation rule, in 18-decimal fixed point: inflation moves toward the rate
 * that brings the bonded ratio to `goal_bonded`, by at most `inflation_rate_change`
 * per year, within [inflation_min, inflation_max].
 */
export function nextInflation(minter: Minter, params: Params, bondedRatio: bigint): bigint {
  const goal = decFromWire(params.goalBonded);
  const perYear = ((DEC_ONE - (bondedRatio * DEC_ONE) / goal) * decFromWire(params.inflationRateChange)) / DEC_ONE;
  let inflation = decFromWire(minter.inflation) + perYear / params.blocksPerYear;
  const [min, max] = [decFromWire(params.inflationMin), decFromWire(params.inflationMax)];
  if (inflation > max) inflation = max;
  if (inflation < min) inflation = min;
  return inflation;
}

/** Yearly provisions (18-decimal) for a supply at an inflation rate. */
export const annualProvisions = (inflation: bigint, supply: bigint): bigint => inflation * supply;

/** Whole coins minted this block: annual provisions / blocks per year, rounded down. */
export const blockProvision = (annual: bigint, params: Params): bigint => annual / params.blocksPerYear / DEC_ONE;
