import { Params } from "../../proto/gen/aro/market/v1/market.ts";
import { decFromString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";

export const GB = 1_000_000_000n;

export const defaultMarketParams: Params = {
  prices: { perGbDelivered: "1000.000000000000000000", perGbEpochStored: "10.000000000000000000", perComputeUnit: "0.000001000000000000" },
  maxReplication: 10,
  maxContentSize: 1n << 40n,
  maxJobRedundancy: 7,
  chunkSize: 262_144,
};

export function validateMarketParams(p: Params): void {
  if (!p.prices) throw sdkErrors.invalidRequest.wrap("prices are missing");
  for (const [name, v] of [["per_gb_delivered", p.prices.perGbDelivered], ["per_gb_epoch_stored", p.prices.perGbEpochStored], ["per_compute_unit", p.prices.perComputeUnit]] as const) {
    decFromString(v, name);
  }
  if (p.maxReplication === 0 || p.maxJobRedundancy === 0) throw sdkErrors.invalidRequest.wrap("max_replication and max_job_redundancy must be positive");
  if (p.maxContentSize === 0n) throw sdkErrors.invalidRequest.wrap("max_content_size must be positive");
  if (p.chunkSize < 1024 || p.chunkSize > 16 * 1024 * 1024) throw sdkErrors.invalidRequest.wrap("chunk_size must be between 1 KiB and 16 MiB");
}
