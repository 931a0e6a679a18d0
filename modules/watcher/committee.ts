import type { WatcherSnapshot } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { seededUint } from "../../chain/seed.ts";

interface Drawable {
  readonly addresses: string[];
  /** cumulative stake: cumulative[i] = stake of watchers 0..i */
  readonly cumulative: bigint[];
}

function drawable(entries: WatcherSnapshot["watchers"]): Drawable {
  let sum = 0n;
  return { addresses: entries.map((e) => e.address), cumulative: entries.map((e) => (sum += BigInt(e.stake))) };
}

/** Decoded snapshots with their per-region draw tables (a pure function of the snapshot's bytes). */
const tables = new Map<string, { all: Drawable; byRegion: Map<string, Drawable> }>();

function tablesOf(s: WatcherSnapshot) {
  const id = `${s.epoch}:${Buffer.from(s.seed).toString("hex")}:${s.watchers.length}`;
  let t = tables.get(id);
  if (!t) {
    const regions = new Map<string, WatcherSnapshot["watchers"]>();
    for (const e of s.watchers) regions.set(e.region, [...(regions.get(e.region) ?? []), e]);
    t = { all: drawable(s.watchers), byRegion: new Map([...regions].map(([r, es]) => [r, drawable(es)])) };
    if (tables.size > 64) tables.clear();
    tables.set(id, t);
  }
  return t;
}

/** Index of the watcher whose cumulative-stake interval holds `point`. */
function find(d: Drawable, point: bigint): number {
  let lo = 0;
  let hi = d.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.cumulative[mid] > point) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The watchers who check `node` in the snapshot's epoch: `size` distinct watchers drawn
 * with probability proportional to stake from the epoch seed, from the node's region
 * when it has enough watchers, else from all. No node can predict or pick its checkers
 * before the epoch starts; anyone can recompute the draw.
 */
export function committeeFor(s: WatcherSnapshot, node: bigint, region: string, size: number): string[] {
  const t = tablesOf(s);
  const local = t.byRegion.get(region);
  const d = local && local.addresses.length >= size ? local : t.all;
  const total = d.cumulative[d.cumulative.length - 1] ?? 0n;
  if (total === 0n) return [];
  const want = Math.min(size, d.addresses.length);
  const chosen: string[] = [];
  for (let draw = 0; chosen.length < want && draw < want * 16; draw++) {
    const a = d.addresses[find(d, seededUint(s.seed, "committee", node.toString(), draw.toString()) % total)];
    if (!chosen.includes(a)) chosen.push(a);
  }
  // stake concentrated in few watchers: fill deterministically in address order
  for (const a of d.addresses) if (chosen.length < want && !chosen.includes(a)) chosen.push(a);
  return chosen;
}

/** Median of the values (the lower middle's and upper middle's mean for an even count, rounded down). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) >> 1;
}
