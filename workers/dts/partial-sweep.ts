import type { Blockstore } from "../../client/content/blockstore.ts";

/**
 * The contents a node began receiving and will not finish: partial (some chunks on disk),
 * not among the replicas the chain assigns it now, and not being fetched right now (a
 * replica released or expired mid-fetch, a prefetch that failed, an upload abandoned
 * for a content that is gone). Removed, so a node's disk holds only what it is paid for.
 */
export function sweepPartials(store: Blockstore, assigned: ReadonlySet<string>, fetching: ReadonlySet<string>): string[] {
  const stale = store.partials().filter((root) => !assigned.has(root) && !fetching.has(root));
  for (const root of stale) store.remove(root);
  return stale;
}
