import { Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { paramsItem } from "../../chain/store/collections.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { DEFAULT_EPOCH_LENGTH } from "../epochs/epochs.ts";
import { keys } from "./keys.ts";

/** Settled epochs whose per-epoch records are kept before they are pruned. */
export const DEFAULT_RECORD_RETENTION_EPOCHS = 100n;

export const defaultSettlementParams: Params = {
  // an hour of 1 s blocks: room to settle 100,000 nodes in bounded batches before the next epoch ends
  epochLength: DEFAULT_EPOCH_LENGTH,
  inflationShare: "0.250000000000000000",
  watcherShare: "0.050000000000000000",
  nodesPerBlock: 250,
  // unspecified, public, cone, symmetric: a node that needs a relay is worth less to clients
  natFactors: ["0", "1.000000000000000000", "0.900000000000000000", "0.700000000000000000"],
  regionFactors: [],
  // a node nobody probed earns no availability
  unreportedUptimePermille: 0,
  burnShare: "0.100000000000000000",
  targetLatencyMs: 200,
  // a node's region is verified when watchers of that region see it within 100 ms (median)
  regionMaxLatencyMs: 100,
  // settled epochs whose records stay (every window of an epoch closes before it settles)
  recordRetentionEpochs: DEFAULT_RECORD_RETENTION_EPOCHS,
  // per module and block: 3.6 M in a default epoch (3,600 blocks), more than 100,000 nodes write in one
  maxRecordPrunesPerBlock: 1000,
};

export function validateSettlementParams(p: Params): void {
  if (p.epochLength < 2n) throw sdkErrors.invalidRequest.wrap("epoch_length must be at least 2 blocks");
  for (const [name, v] of [["inflation_share", p.inflationShare], ["watcher_share", p.watcherShare]] as const) {
    const d = decFromString(v, name);
    if (d > DEC_ONE) throw sdkErrors.invalidRequest.wrap(`${name} must be between 0 and 1`);
  }
  if (p.nodesPerBlock === 0) throw sdkErrors.invalidRequest.wrap("nodes_per_block must be positive");
  if (p.natFactors.length !== 4) throw sdkErrors.invalidRequest.wrap("nat_factors needs one factor per NAT type (unspecified, public, cone, symmetric)");
  for (const f of p.natFactors) decFromString(f, "nat factor");
  for (const r of p.regionFactors) decFromString(r.factor, `region factor of ${r.region}`);
  const burn = decFromString(p.burnShare, "burn_share");
  // zero would let a party pay itself through the network at no cost
  if (burn <= 0n || burn >= DEC_ONE) throw sdkErrors.invalidRequest.wrap("burn_share must be above 0 and below 1");
  if (p.targetLatencyMs === 0) throw sdkErrors.invalidRequest.wrap("target_latency_ms must be positive");
  if (p.regionMaxLatencyMs === 0 || p.regionMaxLatencyMs > 60_000) throw sdkErrors.invalidRequest.wrap("region_max_latency_ms must be between 1 and 60000");
  if (p.unreportedUptimePermille > 1000) throw sdkErrors.invalidRequest.wrap("unreported_uptime_permille is at most 1000");
  // the last settled epoch's records are read (gpow's routing reads its uptimes): keep it and the one before
  if (p.recordRetentionEpochs < 2n) throw sdkErrors.invalidRequest.wrap("record_retention_epochs must be at least 2");
  if (p.maxRecordPrunesPerBlock === 0) throw sdkErrors.invalidRequest.wrap("max_record_prunes_per_block must be positive");
}

/** Settlement's params in the store (epoch_length among them: the shared epoch clock, modules/epochs, reads it there). */
const params = paramsItem(keys.params, Params, defaultSettlementParams);
export const settlementParams = {
  get: (state: KVReader): Params => params.get(state),
  set: (store: KVStore, p: Params): void => params.set(store, p),
};
