/** Bounded state for routing's limiters and caches: an LRU map and per-key one-window budgets. */

/**
 * A Map with at most `max` entries: reading or writing an entry makes it the most recent,
 * and inserting past the bound evicts the least recently used one.
 */
export class BoundedLru<K, V> {
  private readonly m = new Map<K, V>();
  constructor(readonly max: number) {
    if (!(max >= 1)) throw new Error("BoundedLru needs max >= 1");
  }
  get size(): number {
    return this.m.size;
  }
  get(k: K): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  /** Without touching recency. */
  peek(k: K): V | undefined {
    return this.m.get(k);
  }
  set(k: K, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    while (this.m.size > this.max) this.m.delete(this.m.keys().next().value as K);
  }
  delete(k: K): boolean {
    return this.m.delete(k);
  }
  keys(): IterableIterator<K> {
    return this.m.keys();
  }
}

/** Fixed one-minute windows per key: `allow` says whether one more event fits in the key's budget. */
export class WindowLimiter {
  private readonly w: BoundedLru<string, { start: number; n: number }>;
  constructor(readonly perWindow: number, readonly windowMs: number, maxKeys: number) {
    this.w = new BoundedLru(maxKeys);
  }
  get size(): number {
    return this.w.size;
  }
  /** Whether one more event fits (without spending it). */
  fits(key: string, now: number): boolean {
    const s = this.w.peek(key);
    return !s || now - s.start >= this.windowMs || now < s.start || s.n < this.perWindow;
  }
  /** Spends one event of the key's budget; false (nothing spent) when it is used up. */
  take(key: string, now: number): boolean {
    let s = this.w.get(key);
    if (!s || now - s.start >= this.windowMs || now < s.start) this.w.set(key, (s = { start: now, n: 0 }));
    if (s.n >= this.perWindow) return false;
    s.n++;
    return true;
  }
}
