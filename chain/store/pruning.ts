/**
 * Which old versions of the state a node keeps, with the Cosmos SDK's app.toml names and
 * meanings:
 *
 *   pruning = "default"     the last 362880 versions, pruned every 10 heights
 *   pruning = "nothing"     every version (an archive node)
 *   pruning = "everything"  the last 2 versions, pruned every 10 heights
 *   pruning = "custom"      pruning-keep-recent, pruning-keep-every and pruning-interval
 *
 * keep-every N (custom only; 0: none) also keeps every version that is a multiple of N.
 */
export interface PruningOptions {
  /** Versions kept behind the latest (Infinity: all). */
  readonly keepRecent: number;
  /** Also keep every version that is a multiple of this (0: none). */
  readonly keepEvery: number;
  /** Prune at heights that are multiples of this (0: never). */
  readonly interval: number;
}

export const PRUNING_DEFAULT: PruningOptions = { keepRecent: 362_880, keepEvery: 0, interval: 10 };
export const PRUNING_EVERYTHING: PruningOptions = { keepRecent: 2, keepEvery: 0, interval: 10 };
export const PRUNING_NOTHING: PruningOptions = { keepRecent: Infinity, keepEvery: 0, interval: 0 };

/** Reads the pruning settings of app.toml (already parsed); every problem names its key. */
export function pruningFromConfig(app: Record<string, unknown>, file: string): PruningOptions {
  if ("keep-recent" in app) throw new Error(`${file}: keep-recent is replaced by the SDK's settings: pruning = "custom" with pruning-keep-recent and pruning-interval`);
  const mode = String(app["pruning"] ?? "default");
  const num = (key: string): number => {
    const raw = app[key] ?? "0";
    const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : typeof raw === "number" ? raw : NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${file}: ${key} must be a non-negative integer, not ${JSON.stringify(raw)}`);
    return n;
  };
  switch (mode) {
    case "default":
      return PRUNING_DEFAULT;
    case "everything":
      return PRUNING_EVERYTHING;
    case "nothing":
      return PRUNING_NOTHING;
    case "custom": {
      const o = { keepRecent: num("pruning-keep-recent"), keepEvery: num("pruning-keep-every"), interval: num("pruning-interval") };
      if (o.interval === 0) throw new Error(`${file}: pruning-interval must not be 0 with pruning = "custom" (use pruning = "nothing" to keep every version)`);
      if (o.keepRecent < 2) throw new Error(`${file}: pruning-keep-recent must be at least 2 (the last two versions serve queries and a restart)`);
      return o;
    }
    default:
      throw new Error(`${file}: pruning must be "default", "nothing", "everything" or "custom", not ${JSON.stringify(mode)}`);
  }
}

/** Versions to delete when `height` commits: those before the latest and its keep-recent predecessors, since the last pruning, except keep-every ones. */
export function versionsToPrune(o: PruningOptions, height: number, prunedThrough: number, max: number): { versions: number[]; prunedThrough: number } {
  if (o.interval === 0 || o.keepRecent === Infinity || height % o.interval !== 0) return { versions: [], prunedThrough };
  const to = Math.min(height - 1 - o.keepRecent, prunedThrough + max); // as the SDK: the latest and keep-recent before it stay
  const versions: number[] = [];
  for (let d = prunedThrough + 1; d <= to; d++) if (o.keepEvery === 0 || d % o.keepEvery !== 0) versions.push(d);
  return { versions, prunedThrough: Math.max(prunedThrough, to) };
}

/** The newest version kept before `d` once the versions before it are pruned (a keep-every one), if any. */
export function keptBefore(o: PruningOptions, d: number, first: number): number | undefined {
  if (o.keepEvery === 0) return undefined;
  const m = Math.floor((d - 1) / o.keepEvery) * o.keepEvery;
  return m >= first ? m : undefined;
}

export function describePruning(o: PruningOptions): string {
  if (o.keepRecent === Infinity) return "every height (pruning = \"nothing\")";
  return `the last ${o.keepRecent} heights before the latest${o.keepEvery ? ` and every ${o.keepEvery}th` : ""}`;
}
