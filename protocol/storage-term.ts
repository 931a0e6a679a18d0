import type { Content } from "../proto/gen/aro/market/v1/market.ts";
import { DEC_ONE } from "../chain/dec.ts";
import { GB } from "./units.ts";

/**
 * Pure rules of a content's paid storage term (no state): what one replica's epoch of
 * storage costs, what publishing reserves, and which replicas a storage challenge covers.
 */

/**
 * One replica's epoch of storage at `perGbEpoch` (a Dec scaled by DEC_ONE): size × price
 * / GB, rounded up, so no content is stored for free (a free replica would still be
 * challenged, and every miss slashed, at no cost to whoever published it).
 */
export const replicaEpochCost = (size: bigint, perGbEpoch: bigint): bigint => (size * perGbEpoch + GB * DEC_ONE - 1n) / (GB * DEC_ONE);

/** What publishing holds from the escrow: every replica's storage for the whole term. */
export const termReservation = (size: bigint, perGbEpoch: bigint, replication: number, epochs: bigint): bigint =>
  replicaEpochCost(size, perGbEpoch) * BigInt(replication) * epochs;

/** The height at which `node` acked `c`, if it did. */
export const ackHeight = (c: Content, node: bigint): bigint | undefined => c.acks.find((a) => a.nodeId === node)?.height;

/**
 * Whether `node`'s replica of `c` is challenged in the epoch starting at `epochStart`:
 * the node acked it before the epoch began, and the epoch starts within the paid term.
 * An unacked replica is never challenged (its node may never have received it).
 */
export function replicaChallenged(c: Content, node: bigint, epochStart: bigint): boolean {
  const acked = ackHeight(c, node);
  return acked !== undefined && acked < epochStart && epochStart <= c.expiresHeight && c.replicas.includes(node);
}
