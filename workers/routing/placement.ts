/**
 * Contents the router asked nodes to prefetch, bounded per node: a full node gives up its
 * coldest placed content (least recently used among equally cold ones), and only for a
 * content hotter than that one. Chain replica assignments are never placed here, so never
 * evicted by it.
 */
export class Placement {
  /** Node id → placed content → when it was placed and last placed or served. */
  readonly byNode = new Map<string, Map<string, { at: number; used: number }>>();
  private readonly byContent = new Map<string, Set<string>>();
  private readonly evictions = new Map<string, Set<string>>();
  /** Placements not yet confirmed, oldest first; `head` skips the expired prefix. */
  private pending: Array<{ nodeId: string; content: string; at: number }> = [];
  private head = 0;

  /** `coldness(content, nodeId, now)`: the demand for content in the node's region (req/s); lowest is evicted first. */
  constructor(
    readonly capacity: number,
    private readonly coldness: (content: string, nodeId: string, now: number) => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`placement capacity must be a positive integer, got ${capacity}`);
  }

  has(nodeId: string, content: string): boolean {
    return this.byNode.get(nodeId)?.has(content) ?? false;
  }

  count(nodeId: string): number {
    return this.byNode.get(nodeId)?.size ?? 0;
  }

  nodesWith(content: string): ReadonlySet<string> | undefined {
    return this.byContent.get(content);
  }

  touch(nodeId: string, content: string, now: number): void {
    const e = this.byNode.get(nodeId)?.get(content);
    if (e) e.used = now;
  }

  /** Places `content` (worth `value` req/s) on the node, evicting a colder one if the node is full; refused if none is colder. */
  place(nodeId: string, content: string, value: number, now: number): { ok: boolean; evicted?: string } {
    let m = this.byNode.get(nodeId);
    if (!m) this.byNode.set(nodeId, (m = new Map()));
    if (m.has(content)) return { ok: true };
    let evicted: string | undefined;
    if (m.size >= this.capacity) {
      let coldest = Infinity;
      let oldest = Infinity;
      for (const [c, { used }] of m) {
        const v = this.coldness(c, nodeId, now);
        if (v < coldest || (v === coldest && used < oldest)) [evicted, coldest, oldest] = [c, v, used];
      }
      if (evicted === undefined || coldest >= value) return { ok: false };
      this.remove(nodeId, evicted);
      let q = this.evictions.get(nodeId);
      if (!q) this.evictions.set(nodeId, (q = new Set()));
      q.add(evicted);
      // An unpolled queue must not grow without bound: forget the oldest notices.
      if (q.size > this.capacity) q.delete(q.values().next().value as string);
    }
    m.set(content, { at: now, used: now });
    let s = this.byContent.get(content);
    if (!s) this.byContent.set(content, (s = new Set()));
    s.add(nodeId);
    this.evictions.get(nodeId)?.delete(content);
    this.pending.push({ nodeId, content, at: now });
    return { ok: true, evicted };
  }

  remove(nodeId: string, content: string): boolean {
    const m = this.byNode.get(nodeId);
    if (!m?.delete(content)) return false;
    if (m.size === 0) this.byNode.delete(nodeId);
    const s = this.byContent.get(content);
    s?.delete(nodeId);
    if (s?.size === 0) this.byContent.delete(content);
    return true;
  }

  dropNode(nodeId: string): void {
    for (const c of [...(this.byNode.get(nodeId)?.keys() ?? [])]) this.remove(nodeId, c);
    this.evictions.delete(nodeId);
  }

  /** Placements older than ttlMs that `held` does not confirm are withdrawn, so another node can be chosen. */
  expire(now: number, ttlMs: number, held: (content: string, nodeId: string) => boolean): void {
    while (this.head < this.pending.length && this.pending[this.head].at + ttlMs <= now) {
      const p = this.pending[this.head++];
      if (this.byNode.get(p.nodeId)?.get(p.content)?.at === p.at && !held(p.content, p.nodeId)) this.remove(p.nodeId, p.content);
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** Eviction notices for the node since it last asked (each is handed out once). */
  takeEvictions(nodeId: string): string[] {
    const q = this.evictions.get(nodeId);
    this.evictions.delete(nodeId);
    return q ? [...q] : [];
  }
}
