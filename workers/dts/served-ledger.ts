/**
 * What a node has served and not yet been given receipts for, per content: a receipt is
 * kept only if the node really sent that many bytes of that content, so nobody can slip
 * a receipt for a delivery that never happened into the node's claim.
 *
 * HTTP downloads carry no client identity, so the ledger matches per content, not per
 * client. It lives in memory: bytes served before a restart earn no receipts after it.
 * Bounded: at most `maxContents` entries, the least recently served dropped first.
 */
export class ServedLedger {
  private readonly unreceipted = new Map<string, number>();

  constructor(private readonly maxContents = 100_000) {}

  served(root: string, bytes: number): void {
    const now = (this.unreceipted.get(root) ?? 0) + bytes;
    this.unreceipted.delete(root); // re-inserted last: Map order is recency
    this.unreceipted.set(root, now);
    if (this.unreceipted.size > this.maxContents) this.unreceipted.delete(this.unreceipted.keys().next().value!);
  }

  /** Bytes of `root` served and not yet covered by a receipt. */
  available(root: string): number {
    return this.unreceipted.get(root) ?? 0;
  }

  /** Covers `bytes` of `root` with a receipt; false (and nothing taken) if fewer were served. */
  take(root: string, bytes: number): boolean {
    const have = this.available(root);
    if (bytes > have) return false;
    if (have === bytes) this.unreceipted.delete(root);
    else this.unreceipted.set(root, have - bytes);
    return true;
  }

  /** Gives back what `take` took, when the receipt was refused after all. */
  refund(root: string, bytes: number): void {
    this.unreceipted.set(root, this.available(root) + bytes);
  }
}
