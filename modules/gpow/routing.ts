import type { JobLimits } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { KVReader, KVStore } from "../../chain/store/kv.ts";
import { MIN_JOB_MILLICORES } from "../../protocol/job-fit.ts";
import { gpowStore, type NodeLoad } from "./store.ts";
import { settlementParams, settlementStore } from "./expected.ts";

/**
 * Compute routing: which of the fitting, bonded HVM nodes a job goes to.
 *
 * For every node slot the chain draws up to ROUTING_CANDIDATES eligible nodes with the
 * seeded, bounded draw of peernodeKeeper.pickNodes (the job's regions first, round-robin),
 * and takes the best of them by, in this order:
 *   1. spare capacity: the node still has a free core and memory for this job once the
 *      jobs it is running now are counted (declared cpu_millicores / memory_mb minus one
 *      core and memory + output per running job);
 *   2. region: the node is in one of the regions the job asked for;
 *   3. uptime x headroom: the uptime watchers measured for it in the last settled epoch
 *      (settlement's record; settlement's unreported_uptime_permille for a node without one)
 *      times its free job slots, at most ROUTING_MAX_SLOTS;
 *   4. free job slots (at most ROUTING_MAX_SLOTS);
 * ties going to the node drawn first. Better nodes are chosen far more often than a
 * uniform draw would, yet the seed still decides (a node is chosen only when drawn, so
 * load spreads) and nobody knows the pick before the block. Reads per slot: at most
 * 4 x ROUTING_CANDIDATES index entries and nodes, plus one load and one record per
 * candidate, and two settlement keys per job.
 */
export const ROUTING_CANDIDATES = 4;
export const ROUTING_MAX_SLOTS = 4n;
const MIB = 1_048_576n;
export type { NodeLoad };

export function getLoad(state: KVReader, node: bigint): NodeLoad {
  return gpowStore.load.get(state, node) ?? { jobs: 0n, bytes: 0n };
}

/** Adds (sign 1) a job to, or removes (sign -1) it from, each node's running load. */
export function changeLoad(store: KVStore, nodes: readonly bigint[], limits: Pick<JobLimits, "maxMemoryBytes" | "maxOutputBytes">, sign: 1n | -1n): void {
  const need = limits.maxMemoryBytes + limits.maxOutputBytes;
  for (const node of nodes) {
    const l = getLoad(store, node);
    const jobs = l.jobs + sign;
    const bytes = l.bytes + sign * need;
    if (jobs <= 0n) gpowStore.load.delete(store, node);
    else gpowStore.load.set(store, node, { jobs, bytes: bytes < 0n ? 0n : bytes });
  }
}

/** Jobs of this size the node could still start now, on its declared resources. */
export function freeSlots(n: Node, load: NodeLoad, limits: Pick<JobLimits, "maxMemoryBytes" | "maxOutputBytes">): bigint {
  const cpu = (n.resources?.cpuMillicores ?? 0n) - load.jobs * MIN_JOB_MILLICORES;
  const mem = (n.resources?.memoryMb ?? 0n) * MIB - load.bytes;
  const need = limits.maxMemoryBytes + limits.maxOutputBytes;
  if (cpu < MIN_JOB_MILLICORES || mem < need || need <= 0n) return 0n;
  const byCpu = cpu / MIN_JOB_MILLICORES;
  const byMem = mem / need;
  return byCpu < byMem ? byCpu : byMem;
}

/** The uptime (permille) watchers measured for each node in the last settled epoch. */
export function lastUptime(state: KVReader): (node: bigint) => bigint {
  const next = settlementStore.nextToSettle.peek(state);
  const unreported = BigInt(settlementParams.get(state).unreportedUptimePermille);
  return (node) => {
    if (next === 0n) return unreported;
    const rec = settlementStore.records.get(state, [next - 1n, node]);
    return rec ? BigInt(rec.uptimePermille) : unreported;
  };
}

/** The ranking key of a candidate node for a job (greater is better; see above). */
export function routingRank(state: KVReader, limits: Pick<JobLimits, "maxMemoryBytes" | "maxOutputBytes">, regions: readonly string[]) {
  const uptime = lastUptime(state);
  return {
    candidates: ROUTING_CANDIDATES,
    /** a node with spare capacity: the draw goes on (bounded) until it has one */
    good: (key: readonly bigint[]) => key[0] === 1n,
    key(n: Node): bigint[] {
      const free = freeSlots(n, getLoad(state, n.id), limits);
      const slots = free < ROUTING_MAX_SLOTS ? free : ROUTING_MAX_SLOTS;
      return [free > 0n ? 1n : 0n, regions.includes(n.region) ? 1n : 0n, uptime(n.id) * slots, slots];
    },
  };
}
