import type { NodeWork, Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import type { Prices } from "../../proto/gen/aro/market/v1/market.ts";
import { NatType } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString, decToString, DEC_ONE } from "../../chain/dec.ts";
import { GB } from "../../protocol/units.ts";

/**
 * A node earns two things in an epoch:
 * - usage income: what customers paid for its work (delivery, storage, compute), less
 *   the burned share; nobody but a customer who signed or paid for it funds this;
 * - an availability reward: its share of the epoch's inflation pool by availability
 *   score = bond × uptime × chunk checks × latency factor (watcher medians) × NAT factor
 *   (min of the declared NAT type's and the measured one: public if most of its watchers
 *   reached it directly, else symmetric) × region factor (min of the declared region's and the measured one: the declared region's if
 *   watchers of that region reached it within region_max_latency_ms, else 1) × storage factor
 *   (answered / due storage challenges), 0 for a node
 *   below min_bond or not active, and no uptime for a node nobody probed.
 * Usage never raises the availability score, so paying yourself buys nothing but the burn.
 * All fixed point (18 decimals), truncated at each step in this order, so anyone can
 * recompute it from chain data.
 */
export function workValue(w: NodeWork, prices: Prices): bigint {
  return (w.deliveredBytes * decFromString(prices.perGbDelivered)) / GB
    + (w.storedBytes * decFromString(prices.perGbEpochStored)) / GB
    + w.computeUnits * decFromString(prices.perComputeUnit);
}

const int = (s: string) => (s ? BigInt(s) : 0n);

/** Customers' payments for the node's work, less what was burned of them (uaro). */
export function usageIncome(w: NodeWork): bigint {
  return int(w.deliveryPaid) + int(w.storagePaid) + int(w.computePaid) - int(w.burned);
}

export function natFactor(p: Params, nat: NatType): bigint {
  return decFromString(p.natFactors[nat] ?? "0");
}

/**
 * The NAT factor watchers measured: the public one if their majority reached the node
 * directly, else the symmetric one (reachable only through a relay, or not at all);
 * undefined when no watcher said how it reached the node.
 */
export function measuredNatFactor(p: Params, direct: boolean | undefined): bigint | undefined {
  if (direct === undefined) return undefined;
  return natFactor(p, direct ? NatType.NAT_TYPE_PUBLIC : NatType.NAT_TYPE_SYMMETRIC);
}

/** The factor a node is scored with: what it declared, but never more than what was measured. */
export function appliedNatFactor(declared: bigint, measured: bigint | undefined): bigint {
  return measured !== undefined && measured < declared ? measured : declared;
}

/** The region_factors entry of a region (18 decimals); 1 for a region not listed. */
export function regionFactor(p: Params, region: string): bigint {
  const f = p.regionFactors.find((r) => r.region === region);
  return f ? decFromString(f.factor) : DEC_ONE;
}

/**
 * A node's declared region is verified when watchers registered in that region reached it
 * (reports with uptime > 0) with a median latency of at most region_max_latency_ms: where
 * the probes see the node, not where it says it is.
 */
export function regionVerified(p: Params, regionReports: number, regionLatencyMs: number | undefined): boolean {
  return regionReports > 0 && regionLatencyMs !== undefined && regionLatencyMs <= p.regionMaxLatencyMs;
}

/** The region factor watchers measured: the region's own if verified, else the default (1). */
export function measuredRegionFactor(p: Params, region: string, verified: boolean): bigint {
  return verified ? regionFactor(p, region) : DEC_ONE;
}

/** The region factor a node is scored with: what it declared, but never more than what was measured. */
export function appliedRegionFactor(declared: bigint, measured: bigint): bigint {
  return measured < declared ? measured : declared;
}

/** Answered / due storage challenges (18 decimals); 1 when none was due. */
export function storageFactor(proven: number, missed: number): bigint {
  return proven + missed === 0 ? DEC_ONE : (BigInt(proven) * DEC_ONE) / BigInt(proven + missed);
}

/** 1 up to the target latency, target / latency above it (18 decimals). */
export function latencyFactor(targetMs: number, latencyMs: number): bigint {
  return latencyMs <= targetMs ? DEC_ONE : (BigInt(targetMs) * DEC_ONE) / BigInt(latencyMs);
}

/** What the watchers measured of a node: uptime and chunk checks (permille) and the latency factor. */
export interface Measured {
  uptimePermille: number;
  chunkPermille: number;
  latency: bigint;
}

/** Availability score (18 decimals): bond × uptime/1000 × chunks/1000 × latency × nat × region × storage. */
export function score(bond: bigint, m: Measured, nat: bigint, region: bigint, storage: bigint): bigint {
  const measured = ((((bond * DEC_ONE * BigInt(m.uptimePermille)) / 1000n) * BigInt(m.chunkPermille)) / 1000n) * m.latency / DEC_ONE;
  return ((measured * nat / DEC_ONE) * region / DEC_ONE) * storage / DEC_ONE;
}

/** A node's share of the availability pool: pool × score / total score, rounded down. */
export function rewardOf(nodePool: bigint, nodeScore: bigint, totalScore: bigint): bigint {
  return totalScore === 0n ? 0n : (nodePool * nodeScore) / totalScore;
}

export interface FormulaInputs {
  bond: bigint; bonded: boolean; uptimePermille: number; chunkPermille: number; latencyMs: number; latency: bigint; nat: bigint;
  /** declared and measured NAT factors ("" when not recorded / not measured) */
  declaredNat?: string; measuredNat?: string; region: bigint;
  /** declared and measured region factors ("" when not recorded), and what watchers of the region measured */
  declaredRegion?: string; measuredRegion?: string; regionReports?: number; regionLatencyMs?: number;
  storage: bigint; score: bigint;
  nodePool: bigint; totalScore: bigint; availability: bigint; work: NodeWork; usage: bigint; reward: bigint;
}

export function formula(o: FormulaInputs): string {
  const avail = o.bonded
    ? `availability score = bond ${o.bond} × uptime ${o.uptimePermille}/1000 × chunks ${o.chunkPermille}/1000 × latency ${decToString(o.latency)} (${o.latencyMs} ms) × nat ${natText(o)} × region ${regionText(o)} × storage ${decToString(o.storage)} = ${decToString(o.score)}; `
      + `availability reward = node_pool ${o.nodePool} × score / total_score ${decToString(o.totalScore)} = ${o.availability}; `
    : `availability reward = 0 (bond ${o.bond} is below min_bond or the node is not active); `;
  return avail
    + `usage income = delivery ${o.work.deliveryPaid} + storage ${o.work.storagePaid} + compute ${o.work.computePaid} - burned ${o.work.burned} = ${o.usage}; `
    + `reward = ${o.availability} + ${o.usage} = ${o.reward}`;
}

function natText(o: FormulaInputs): string {
  if (!o.declaredNat) return decToString(o.nat);
  return `${decToString(o.nat)} (min of declared ${o.declaredNat}, measured ${o.measuredNat || "not measured"})`;
}

function regionText(o: FormulaInputs): string {
  if (!o.declaredRegion) return decToString(o.region);
  const seen = o.regionReports ? `${o.regionReports} report${o.regionReports === 1 ? "" : "s"} from watchers of the region, median ${o.regionLatencyMs ?? 0} ms` : "no watcher of the region reached it";
  return `${decToString(o.region)} (min of declared ${o.declaredRegion}, measured ${o.measuredRegion}: ${seen})`;
}
