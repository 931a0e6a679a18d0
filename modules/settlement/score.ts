import type { NodeWork, Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import type { Prices } from "../../proto/gen/aro/market/v1/market.ts";
import type { NatType } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString, decToString, DEC_ONE } from "../../chain/dec.ts";
import { GB } from "../market/params.ts";

/**
 * Contribution score = verified work units, priced (bytes delivered, GB-epochs stored,
 * compute units) × uptime (keeper median) × NAT factor × region demand factor.
 * All fixed point (18 decimals), truncated at each step in this order, so anyone can
 * recompute it from chain data.
 */
export function workValue(w: NodeWork, prices: Prices): bigint {
  return (w.deliveredBytes * decFromString(prices.perGbDelivered)) / GB
    + (w.storedBytes * decFromString(prices.perGbEpochStored)) / GB
    + w.computeUnits * decFromString(prices.perComputeUnit);
}

export function natFactor(p: Params, nat: NatType): bigint {
  return decFromString(p.natFactors[nat] ?? "0");
}

export function regionFactor(p: Params, region: string): bigint {
  const f = p.regionFactors.find((r) => r.region === region);
  return f ? decFromString(f.factor) : DEC_ONE;
}

export function score(value: bigint, uptimePermille: number, nat: bigint, region: bigint): bigint {
  return (((value * BigInt(uptimePermille)) / 1000n) * nat / DEC_ONE) * region / DEC_ONE;
}

/** A node's share of the node pool: pool × score / total score, rounded down. */
export function rewardOf(nodePool: bigint, nodeScore: bigint, totalScore: bigint): bigint {
  return totalScore === 0n ? 0n : (nodePool * nodeScore) / totalScore;
}

export function formula(o: { value: bigint; uptimePermille: number; nat: bigint; region: bigint; score: bigint; nodePool: bigint; totalScore: bigint; reward: bigint }): string {
  return `score = work_value ${decToString(o.value)} × uptime ${o.uptimePermille}/1000 × nat ${decToString(o.nat)} × region ${decToString(o.region)} = ${decToString(o.score)}; `
    + `reward = node_pool ${o.nodePool} × score / total_score ${decToString(o.totalScore)} = ${o.reward}`;
}
