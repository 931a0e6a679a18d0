import { LRUCache } from "lru-cache";

/** Latest committed values kept in memory by default (~100 bytes each for accounts and balances: ~20 MB). */
export const DEFAULT_CACHE_VALUES = 100_000;

/**
 * The latest committed value of recently read keys, absent ones included (the SDK's
 * inter-block cache): an account, a balance or a parameter that every tx of a block
 * reads costs one database lookup until it changes. Write-through: a commit updates
 * every key it wrote. Bounded to `max` entries, the least recently used dropped first.
 */
/** a key known to hold nothing */
const ABSENT: { readonly absent: true } = { absent: true };

export class ValueCache {
  /** undefined when the size is 0 */
  private readonly entries?: LRUCache<string, Uint8Array | typeof ABSENT>;
  /** Reads answered from memory, and reads that went to `load` (for metrics). */
  hits = 0;
  misses = 0;

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new Error(`value cache size must be an integer >= 0, got ${max}`);
    if (max > 0) this.entries = new LRUCache({ max });
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** The value read through `load` (the database) unless known. */
  get(key: string, load: (key: string) => Uint8Array | undefined): Uint8Array | undefined {
    const known = this.entries?.get(key);
    if (known !== undefined) {
      this.hits++;
      return known instanceof Uint8Array ? known : undefined;
    }
    this.misses++;
    const value = load(key);
    this.put(key, value);
    return value;
  }

  /** After a commit: what `key` now holds (undefined: deleted). */
  put(key: string, value: Uint8Array | undefined): void {
    this.entries?.set(key, value ?? ABSENT);
  }

  clear(): void {
    this.entries?.clear();
  }
}
