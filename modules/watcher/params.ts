import { Params } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { parseAmount } from "../../chain/coins.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

export const defaultWatcherParams: Params = {
  minStake: "100000000",
  unbondingTime: 1_209_600n,
  committeeSize: 3,
  attestWindow: 20n,
  maxDeviationPermille: 200,
  maxStrikes: 3,
  slashFraction: "0.050000000000000000",
  maxWatchers: 500,
  absentUptimePermille: 500,
};

export function validateWatcherParams(p: Params): void {
  if (parseAmount(p.minStake, "min_stake") === 0n) throw sdkErrors.invalidRequest.wrap("min_stake must be positive");
  if (p.unbondingTime <= 0n || p.attestWindow <= 0n) throw sdkErrors.invalidRequest.wrap("unbonding_time and attest_window must be positive");
  if (p.committeeSize === 0 || p.committeeSize > 21) throw sdkErrors.invalidRequest.wrap("committee_size must be between 1 and 21");
  if (p.maxDeviationPermille > 1000 || p.absentUptimePermille > 1000) throw sdkErrors.invalidRequest.wrap("permille values are at most 1000");
  if (p.maxStrikes === 0 || p.maxWatchers === 0) throw sdkErrors.invalidRequest.wrap("max_strikes and max_watchers must be positive");
  if (decFromString(p.slashFraction, "slash_fraction") > DEC_ONE) throw sdkErrors.invalidRequest.wrap("slash_fraction must be between 0 and 1");
}
