import { sha256 } from "../crypto/secp256k1.ts";

/** Remembers signatures already verified (in CheckTx) so FinalizeBlock verifies each once. */
export class SignatureCache {
  private readonly verified = new Set<string>();
  constructor(private readonly max = 200_000) {}

  static key(signBytes: Uint8Array, pubKey: Uint8Array, signature: Uint8Array): string {
    const h = sha256(Buffer.concat([signBytes, pubKey, signature]));
    return Buffer.from(h).toString("latin1");
  }
  get size(): number {
    return this.verified.size;
  }
  has(key: string): boolean {
    return this.verified.has(key);
  }
  add(key: string): void {
    if (this.verified.size >= this.max) this.verified.clear();
    this.verified.add(key);
  }
  delete(key: string): void {
    this.verified.delete(key);
  }
}
