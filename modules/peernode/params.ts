import { Params } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { parseAmount } from "../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

export const DEFAULT_REGIONS = ["africa", "asia", "europe", "middle-east", "north-america", "oceania", "south-america"];

export const defaultPeernodeParams: Params = {
  minBond: "100000000",
  unbondingTime: 1_209_600n,
  regions: DEFAULT_REGIONS,
  maxBackers: 100,
  maxAddresses: 16,
  maxCommission: "0.500000000000000000",
  maxCommissionChange: "0.010000000000000000",
};

export function validatePeernodeParams(p: Params): void {
  if (parseAmount(p.minBond, "min_bond") === 0n) throw sdkErrors.invalidRequest.wrap("min_bond must be positive");
  if (p.unbondingTime <= 0n) throw sdkErrors.invalidRequest.wrap("unbonding_time must be positive");
  if (p.regions.length === 0) throw sdkErrors.invalidRequest.wrap("regions must not be empty");
  for (const r of p.regions) if (!/^[a-z0-9-]{2,32}$/.test(r)) throw sdkErrors.invalidRequest.wrap(`region ${JSON.stringify(r)} must be 2-32 lower-case letters, digits or dashes`);
  if (new Set(p.regions).size !== p.regions.length) throw sdkErrors.invalidRequest.wrap("regions must not repeat");
  if (p.maxBackers === 0 || p.maxAddresses === 0) throw sdkErrors.invalidRequest.wrap("max_backers and max_addresses must be positive");
  const c = decFromString(p.maxCommission, "max_commission");
  if (c > DEC_ONE) throw sdkErrors.invalidRequest.wrap("max_commission must be at most 1");
  const change = decFromString(p.maxCommissionChange, "max_commission_change");
  if (change === 0n || change > DEC_ONE) throw sdkErrors.invalidRequest.wrap("max_commission_change must be above 0 and at most 1");
}
