import { LRUCache } from "lru-cache";
import type { MsgRoute } from "../module.ts";
import { decodeTx, type DecodedTx } from "./decode.ts";

/** Decoded txs kept by the app (a tx decoded for CheckTx is decoded again for FinalizeBlock and every recheck otherwise). */
export const DECODE_CACHE_ENTRIES = 20_000;

/**
 * The txs decoded last, by their bytes, least recently used dropped first. Only
 * successful non-simulation decodes are kept: decoding is a pure function of the bytes
 * (and the app's fixed routes), so a hit is what decoding again would give. Bounded to
 * DECODE_CACHE_ENTRIES (~2.5 KB each for a MsgSend, ~50 MB in all).
 */
export class TxDecodeCache {
  private readonly entries: LRUCache<string, DecodedTx>;
  /** Decodes answered from memory, and decodes that ran decodeTx (for metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly routes: ReadonlyMap<string, MsgRoute>, max = DECODE_CACHE_ENTRIES) {
    this.entries = new LRUCache({ max });
  }

  get size(): number {
    return this.entries.size;
  }

  /** decodeTx(bytes, routes), or what it gave last time for the same bytes; throws as decodeTx does. */
  decode(bytes: Uint8Array): DecodedTx {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const tx = decodeTx(bytes, this.routes);
    this.entries.set(key, tx);
    return tx;
  }
}
