/** Latest committed values kept in memory by default (~100 bytes each for accounts and balances: ~20 MB). */
export const DEFAULT_CACHE_VALUES = 100_000;

/**
 * The latest committed value of recently read keys, absent ones included (the SDK's
 * inter-block cache): an account, a balance or a parameter that every tx of a block
 * reads costs one database lookup until it changes. Write-through: a commit updates
 * every key it wrote. Bounded to `max` entries, the oldest dropped first.
 */
export class ValueCache {
  /** null: known to be absent */
  private readonly entries = new Map<string, Uint8Array | null>();

  constructor(private readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new Error(`value cache size must be an integer >= 0, got ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value read through `load` (the database) unless known. */
  get(key: string, load: (key: string) => Uint8Array | undefined): Uint8Array | undefined {
    const known = this.entries.get(key);
    if (known !== undefined) return known ?? undefined;
    const value = load(key);
    this.put(key, value);
    return value;
  }

  /** After a commit: what `key` now holds (undefined: deleted). */
  put(key: string, value: Uint8Array | undefined): void {
    if (this.max === 0) return;
    if (!this.entries.has(key) && this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value ?? null);
  }

  clear(): void {
    this.entries.clear();
  }
}
