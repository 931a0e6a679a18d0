import { isIPv6 } from "node:net";

/**
 * What PeerRouting believes and from whom:
 * - a load report (`POST /report`) only when signed by the libp2p key of the peer id the
 *   node registered on chain (the same key and check as the signed-nonce challenge in
 *   workers/dts/challenge.ts), over a counter (the node's clock in ms) that must be fresh
 *   and above the last one accepted from that node, so a report cannot be replayed;
 * - a latency report (`POST /latency`) only when signed by a client's account key
 *   (secp256k1, the key it signs delivery receipts with) whose address holds an escrow on
 *   chain, and at most LATENCY_PER_MINUTE of them per (client, node) per minute;
 * - a `GET /route` request counts towards demand at most once per (client address,
 *   content, region) per DEMAND_INTERVAL_MS, and at most DEMAND_PER_CLIENT_PER_MINUTE
 *   times per client address per minute (see DemandLimiter);
 * - a `GET /route` for a content routing knows no live holder of starts a DHT provider
 *   lookup at most LOOKUPS_PER_CLIENT_PER_MINUTE times per client address per minute, and
 *   at most MAX_LOOKUPS_IN_FLIGHT lookups run at once whoever asked (see ProviderLookups).
 *
 * Load reports: load-report.ts; latency reports and the escrow cache: latency-auth.ts;
 * demand and lookup limits: demand-limiter.ts, provider-lookups.ts (over bounded-state.ts).
 */

/** Load and latency counters may run this far from routing's clock (either way). */
export const MAX_SKEW_MS = 5 * 60_000;

/** The key a remote address is limited by: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64. */
export function clientKey(remote: string | undefined): string {
  if (!remote) return "unknown";
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (v4) return v4[1];
  if (!isIPv6(remote)) return remote;
  const [head, tail = ""] = remote.split("%")[0].split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = remote.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":") + "::/64";
}
