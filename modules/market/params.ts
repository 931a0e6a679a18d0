import { Params } from "../../proto/gen/aro/market/v1/market.ts";
import { decFromString } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { MAX_MARKET_CHUNK_SIZE, SEGMENT_SIZE } from "../../chain/proofs/segments.ts";

export { GB } from "../../protocol/units.ts";
/** No job runs on fewer nodes: one node's result is checked by nobody. */
export const JOB_REDUNDANCY_FLOOR = 2;

export const defaultMarketParams: Params = {
  prices: { perGbDelivered: "1000.000000000000000000", perGbEpochStored: "10.000000000000000000", perComputeUnit: "0.000001000000000000" },
  maxReplication: 10,
  maxContentSize: 1n << 40n,
  maxJobRedundancy: 7,
  minJobRedundancy: 2,
  chunkSize: 262_144,
  maxContentTerm: 10_000n,
  ackWindow: 600n,
};

export function validateMarketParams(p: Params): void {
  if (!p.prices) throw sdkErrors.invalidRequest.wrap("prices are missing");
  for (const [name, v] of [["per_gb_delivered", p.prices.perGbDelivered], ["per_gb_epoch_stored", p.prices.perGbEpochStored], ["per_compute_unit", p.prices.perComputeUnit]] as const) {
    decFromString(v, name);
  }
  if (p.maxReplication === 0 || p.maxJobRedundancy === 0) throw sdkErrors.invalidRequest.wrap("max_replication and max_job_redundancy must be positive");
  if (p.minJobRedundancy < JOB_REDUNDANCY_FLOOR || p.minJobRedundancy > p.maxJobRedundancy) {
    throw sdkErrors.invalidRequest.wrap(`min_job_redundancy must be between ${JOB_REDUNDANCY_FLOOR} and max_job_redundancy (${p.maxJobRedundancy})`);
  }
  if (p.maxContentTerm === 0n) throw sdkErrors.invalidRequest.wrap("max_content_term must be positive");
  if (p.ackWindow <= 0n) throw sdkErrors.invalidRequest.wrap("ack_window must be positive");
  if (p.maxContentSize === 0n) throw sdkErrors.invalidRequest.wrap("max_content_size must be positive");
  // whole storage-proof segments: every segment of a content is full but its very last
  if (p.chunkSize < SEGMENT_SIZE || p.chunkSize > MAX_MARKET_CHUNK_SIZE || p.chunkSize % SEGMENT_SIZE !== 0) {
    throw sdkErrors.invalidRequest.wrap(`chunk_size must be a multiple of ${SEGMENT_SIZE} (the storage-proof segment) between ${SEGMENT_SIZE} and ${MAX_MARKET_CHUNK_SIZE}`);
  }
}
