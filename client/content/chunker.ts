/**
 * Cuts bytes pushed in pieces of any size into chunks of `chunkSize` (the last one may be
 * shorter), handing each to `onChunk` as soon as it is whole. Memory: one chunk. The
 * chunk passed is a view of a reused buffer, valid only during the call.
 */
export class Chunker {
  private readonly buf: Buffer;
  private filled = 0;
  /** bytes pushed so far */
  size = 0;

  constructor(readonly chunkSize: number, private readonly onChunk: (chunk: Buffer) => void) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  push(piece: Uint8Array): void {
    this.size += piece.length;
    for (let at = 0; at < piece.length;) {
      const n = Math.min(piece.length - at, this.chunkSize - this.filled);
      this.buf.set(piece.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.chunkSize) this.flush();
    }
  }

  /** Hands over the last, short chunk, if any. */
  end(): void {
    if (this.filled > 0) this.flush();
  }

  private flush(): void {
    const n = this.filled;
    this.filled = 0;
    this.onChunk(this.buf.subarray(0, n));
  }
}
