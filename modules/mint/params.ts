import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { BASE_DENOM, validateDenom } from "../../chain/coins.ts";
import { decFromString, decFromWire, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

const d = (s: string) => decFromString(s).toString();

export const defaultMintParams: Params = {
  mintDenom: BASE_DENOM,
  inflationRateChange: d("0.13"),
  inflationMax: d("0.20"),
  inflationMin: d("0.07"),
  goalBonded: d("0.67"),
  blocksPerYear: 6_311_520n, // 5-second blocks
};

export function validateMintParams(p: Params): void {
  validateDenom(p.mintDenom);
  const [change, max, min, goal] = [p.inflationRateChange, p.inflationMax, p.inflationMin, p.goalBonded].map((x) => decFromWire(x));
  if ([change, max, min].some((x) => x < 0n || x > DEC_ONE)) throw sdkErrors.invalidRequest.wrap("inflation rates must be between 0 and 1");
  if (min > max) throw sdkErrors.invalidRequest.wrap("inflation_min must not exceed inflation_max");
  if (goal <= 0n || goal > DEC_ONE) throw sdkErrors.invalidRequest.wrap("goal_bonded must be in (0, 1]");
  if (p.blocksPerYear <= 0n) throw sdkErrors.invalidRequest.wrap("blocks_per_year must be positive");
}

export function mintParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultMintParams;
  const dec = (k: string, def: string) => (j[k] === undefined ? def : d(String(j[k])));
  const p: Params = {
    mintDenom: String(j["mint_denom"] ?? defaultMintParams.mintDenom),
    inflationRateChange: dec("inflation_rate_change", defaultMintParams.inflationRateChange),
    inflationMax: dec("inflation_max", defaultMintParams.inflationMax),
    inflationMin: dec("inflation_min", defaultMintParams.inflationMin),
    goalBonded: dec("goal_bonded", defaultMintParams.goalBonded),
    blocksPerYear: BigInt(String(j["blocks_per_year"] ?? defaultMintParams.blocksPerYear)),
  };
  validateMintParams(p);
  return p;
}

export function mintParamsToJson(p: Params): Record<string, unknown> {
  const s = (x: string) => decToString(decFromWire(x));
  return {
    mint_denom: p.mintDenom, inflation_rate_change: s(p.inflationRateChange), inflation_max: s(p.inflationMax),
    inflation_min: s(p.inflationMin), goal_bonded: s(p.goalBonded), blocks_per_year: p.blocksPerYear.toString(),
  };
}
