import { createHash } from "node:crypto";

/** Bytes for `random_get`: sha256(seed || counter as u64 big-endian), block after block, the same on every node. */
export class SeededRandom {
  private block = new Uint8Array(0);
  private used = 0;
  private counter = 0n;
  private readonly seed: Uint8Array;

  /** The seed is sha256 of the job's input. */
  constructor(input: Uint8Array) {
    this.seed = createHash("sha256").update(input).digest();
  }

  fill(dst: Uint8Array): void {
    for (let at = 0; at < dst.length; ) {
      if (this.used === this.block.length) this.next();
      const n = Math.min(dst.length - at, this.block.length - this.used);
      dst.set(this.block.subarray(this.used, this.used + n), at);
      this.used += n;
      at += n;
    }
  }

  private next(): void {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(this.counter++);
    this.block = createHash("sha256").update(this.seed).update(counter).digest();
    this.used = 0;
  }
}
