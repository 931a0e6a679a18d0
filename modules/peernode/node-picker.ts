import { Node, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { seededIndex } from "../../chain/seed.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { assignmentIndex } from "./assignment-index.ts";
import { coversBond } from "./bond.ts";
import { nodes } from "./nodes.ts";

/** Whether lexicographic key `a` is greater than `b` (a missing element counts as 0). */
function keyGreater(a: readonly bigint[], b: readonly bigint[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x > y;
  }
  return false;
}

/** Draws nodes for new work from the assignment indexes. */
export const nodePicker = {
  /**
   * Draws up to `count` distinct bonded nodes offering `service`, from `seed`: round-robin
   * over `regions` (a node there when one is left), else any region. Never a node in
   * `exclude`, nor one whose owner or operator is `account` (a job owner's own nodes), nor
   * one `accept` refuses (a job's resource fit). O(count) reads: each draw reads one index
   * entry and that node, and a refused node is skipped within the same bounded tries.
   *
   * With `rank` (compute routing), each slot draws up to `rank.candidates` eligible nodes
   * the same way (the slot's region first, topped up from any region), and keeps drawing
   * while none of them is `rank.good` (a node with spare capacity), within 8 x candidates
   * draws per index; it takes the one whose `rank.key` is greatest (compared element by
   * element), among equal keys the one drawn first, so the seed still decides and nobody
   * can tell the pick before the block. The others stay drawable for later slots. Reads
   * stay O(count x candidates).
   */
  pickNodes(
    state: KVReader, service: Service, regions: readonly string[], count: number, seed: Uint8Array, exclude: ReadonlySet<bigint> = new Set(), account?: string,
    accept?: (n: Node) => boolean, rank?: { candidates: number; key: (n: Node) => readonly bigint[]; good?: (key: readonly bigint[]) => boolean },
  ): bigint[] {
    const chosen: bigint[] = [];
    const taken = new Set(exclude);
    const minBond = BigInt(nodes.getParams(state).minBond);
    const want = rank ? Math.max(1, Math.min(rank.candidates, 16)) : 1;
    // the index holds ACTIVE nodes; a min_bond raised by governance is applied here at once
    const eligible = (n: Node | undefined): n is Node =>
      n !== undefined && coversBond(n, minBond) && (!account || (n.owner !== account && n.operator !== account)) && (!accept || accept(n));
    const sets = [...regions.map((r) => `${service}/${r}`), `${service}/*`];
    let draw = 0n;
    for (let slot = 0; chosen.length < count && slot < count * 4; slot++) {
      const preferred = regions.length ? sets[slot % regions.length] : sets[sets.length - 1];
      const found: Array<{ id: bigint; key: readonly bigint[] }> = [];
      let good = false;
      const done = () => found.length >= want && (good || !rank?.good);
      for (const set of [preferred, sets[sets.length - 1]]) {
        const size = assignmentIndex.indexCount(state, set);
        // one candidate: at most 8 tries and never more than the index holds, as ever;
        // ranked: 8 x candidates tries (bounded either way)
        const maxTries = rank ? (size > 0n ? BigInt(8 * want) : 0n) : size < 8n ? size : 8n;
        for (let tries = 0n; tries < maxTries && !done(); tries++) {
          const id = assignmentIndex.indexAt(state, set, seededIndex(seed, size, "pick", (draw++).toString()));
          if (taken.has(id) || found.some((c) => c.id === id)) continue;
          const n = nodes.getNode(state, id);
          if (!eligible(n)) {
            taken.add(id); // refused once: not read again
            continue;
          }
          const key = rank ? rank.key(n) : [];
          if (found.length >= want && !rank?.good?.(key)) continue; // past the candidates: only a good one helps
          found.push({ id, key });
          if (rank?.good?.(key)) good = true;
        }
        if (done() || (!rank && found.length)) break;
      }
      if (!found.length) continue;
      let best = 0;
      for (let i = 1; i < found.length; i++) if (keyGreater(found[i].key, found[best].key)) best = i;
      chosen.push(found[best].id);
      taken.add(found[best].id);
    }
    return chosen;
  },
};
