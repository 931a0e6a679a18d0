import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BASE_DENOM, validateDenom } from "../../chain/coins.ts";
import { decFromString, decFromWire, decToString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { parseDurationSeconds } from "../../chain/duration.ts";

export const defaultStakingParams: Params = {
  unbondingTime: { seconds: 1_814_400n, nanos: 0 }, // 21 days
  maxValidators: 100,
  maxEntries: 7,
  historicalEntries: 100,
  bondDenom: BASE_DENOM,
  minCommissionRate: "0",
};

export function validateStakingParams(p: Params): void {
  if (p.unbondingTime.seconds <= 0n) throw sdkErrors.invalidRequest.wrap("unbonding_time must be positive");
  if (p.maxValidators <= 0) throw sdkErrors.invalidRequest.wrap("max_validators must be positive");
  if (p.maxEntries <= 0) throw sdkErrors.invalidRequest.wrap("max_entries must be positive");
  validateDenom(p.bondDenom);
  const mcr = decFromWire(p.minCommissionRate, "min_commission_rate");
  if (mcr < 0n || mcr > DEC_ONE) throw sdkErrors.invalidRequest.wrap("min_commission_rate must be between 0 and 1");
}


export function stakingParamsFromJson(j: Record<string, unknown> | undefined): Params {
  if (!j) return defaultStakingParams;
  const p: Params = {
    unbondingTime: { seconds: j["unbonding_time"] ? parseDurationSeconds(j["unbonding_time"], "unbonding_time") : defaultStakingParams.unbondingTime.seconds, nanos: 0 },
    maxValidators: Number(j["max_validators"] ?? defaultStakingParams.maxValidators),
    maxEntries: Number(j["max_entries"] ?? defaultStakingParams.maxEntries),
    historicalEntries: Number(j["historical_entries"] ?? defaultStakingParams.historicalEntries),
    bondDenom: String(j["bond_denom"] ?? defaultStakingParams.bondDenom),
    minCommissionRate: j["min_commission_rate"] ? decFromString(String(j["min_commission_rate"])).toString() : "0",
  };
  validateStakingParams(p);
  return p;
}

export function stakingParamsToJson(p: Params): Record<string, unknown> {
  return {
    unbonding_time: `${p.unbondingTime.seconds}s`,
    max_validators: p.maxValidators,
    max_entries: p.maxEntries,
    historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom,
    min_commission_rate: decToString(decFromWire(p.minCommissionRate)),
  };
}
