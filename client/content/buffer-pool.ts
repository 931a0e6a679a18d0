/**
 * Reused buffers of one size for chunks on their way through (a download's received
 * chunks, a node's chunks read for a run). Taking fresh memory for every chunk costs page
 * faults and garbage collection (on a VM that returns freed memory to its host, a fresh
 * page is several times slower than writing to a reused one); a pool keeps up to `keep`
 * buffers, so its memory is bounded at keep × size.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(readonly size: number, private readonly keep: number) {}

  /** A view of `length` bytes (at most `size`; larger gets a buffer of its own, never pooled) over a reused buffer. */
  take(length: number): Uint8Array {
    if (length > this.size) return new Uint8Array(length);
    return new Uint8Array(this.free.pop() ?? new ArrayBuffer(this.size), 0, length);
  }

  /** Hands a view's buffer back once nothing reads or writes it any more (another size, or a detached one, is left alone). */
  give(view: Uint8Array): void {
    const b = view.buffer;
    if (b instanceof ArrayBuffer && b.byteLength === this.size && this.free.length < this.keep && !this.free.includes(b)) this.free.push(b);
  }
}
