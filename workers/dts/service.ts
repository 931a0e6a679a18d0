import { setTimeout as sleep } from "node:timers/promises";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { chunkCount, chunkRange, manifestToJson, type ContentInfo, type ManifestJson } from "../../client/content/manifest.ts";
import type { UploadPolicy } from "./upload.ts";
import { checkRoot, DtsError } from "../../client/fetch/dts-error.ts";
import { isContentRoot } from "../../client/content/cid.ts";
import type { NodeIdentity } from "./challenge.ts";
import { ServedLedger } from "./served-ledger.ts";
import { recordHead, runLimit, runWireBytes } from "../../client/fetch/chunk-run.ts";
import { BufferPool } from "../../client/content/buffer-pool.ts";

/** The most memory a node keeps in reused buffers for runs, per chunk size. */
const RUN_POOL_BYTES = 32 * 1024 * 1024;
import { CollectionIndex } from "./collection-index.ts";

/** Where a node's delivery receipts go (the GPoW prover); throws with the reason it refuses one. */
export interface ReceiptSink {
  accept(receipt: Receipt): Promise<void>;
}

/**
 * Fault injection for the local testnet and benchmarks: a node that corrupts chunks,
 * answers slowly, or is held to a bandwidth (bytes per second).
 */
export interface DtsFaults {
  corruptChunks?: boolean;
  delayMs?: number;
  bandwidthBytesPerSec?: number;
}

export interface ServedEvent {
  root: string;
  bytes: number;
  transport: "http" | "libp2p";
}

/** What both transports (HTTP and the libp2p stream protocol) serve from. */
export class DtsService {
  private paceUntil = 0;
  /** chunk requests being answered right now (the node's reported load) */
  inFlight = 0;
  /** bytes served per content and not yet receipted: what a receipt may claim */
  readonly served = new ServedLedger();
  /** reused buffers for runs served over HTTP, by chunk size */
  private readonly runBuffers = new Map<number, BufferPool>();
  /** the directories of the collections held here, for GET /content/<root>/<path> */
  readonly collections: CollectionIndex;

  constructor(
    readonly store: Blockstore,
    readonly opts: { receipts?: ReceiptSink; faults?: DtsFaults; onServed?: (e: ServedEvent) => void; uploads?: UploadPolicy; identity?: NodeIdentity; mediaTypes?: { mediaTypeOf(root: string): Promise<string> } } = {},
  ) {
    this.collections = new CollectionIndex(store);
  }

  /** The media type a content was published with (the chain's record; "" when unknown: served as application/octet-stream). */
  async mediaType(root: string): Promise<string> {
    return (await this.opts.mediaTypes?.mediaTypeOf(root)) ?? "";
  }

  /** Bytes [start, end) of a content held here, chunk by chunk as they are served (each chunk counts as served). */
  async *read(root: string, start: number, end: number, transport: ServedEvent["transport"]): AsyncGenerator<Uint8Array> {
    const m = this.content(root);
    for (let i = Math.floor(start / m.chunkSize); i * m.chunkSize < end; i++) {
      const data = await this.chunk(root, i, transport);
      const from = Math.max(0, start - i * m.chunkSize);
      yield data.subarray(from, Math.min(data.length, end - i * m.chunkSize));
    }
  }

  manifest(root: string): ManifestJson {
    return manifestToJson(this.content(root));
  }

  /** Size and chunking of a content held here (404 otherwise). */
  content(root: string): ContentInfo {
    checkRoot(root);
    const m = this.store.manifest(root);
    if (!m) throw new DtsError(404, `content ${root} is not on this node`);
    return m;
  }

  /** Length of one chunk of a content held here (for HEAD: nothing is read or counted as served). */
  chunkLength(root: string, index: number): number {
    const m = this.content(root);
    const n = chunkCount(m);
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new DtsError(416, `chunk ${index} is outside 0..${n - 1}`);
    const r = chunkRange(m, index);
    return r.end - r.start;
  }

  /** The audit path of a chunk held here (sent with it: the client checks the chunk against the root). */
  proof(root: string, index: number): Uint8Array[] {
    this.chunkLength(root, index);
    return this.store.proof(root, index);
  }

  /**
   * Checks a request for chunks [first, first + count) of a content held here (a run,
   * client/fetch/chunk-run.ts): its bytes on the wire, known before anything is read.
   */
  runBytes(root: string, first: number, count: number): number {
    const m = this.content(root);
    const n = chunkCount(m);
    const limit = runLimit(m.chunkSize);
    if (!Number.isSafeInteger(count) || count < 1 || count > limit) throw new DtsError(400, `a run is 1..${limit} chunks, not ${count}`);
    if (!Number.isSafeInteger(first) || first < 0 || first + count > n) throw new DtsError(416, `chunks ${first}..${first + count - 1} are outside 0..${n - 1}`);
    return runWireBytes(first, count, n, (i) => this.chunkLength(root, i));
  }

  /**
   * The records of a run (check it with runBytes first): each chunk's head (its audit path
   * and length), then its bytes. With `reuse`, the bytes are read into a pooled buffer the
   * caller hands back with `release` once they are sent (not through the chunk cache: a
   * large content streams through a few buffers).
   */
  async *run(root: string, first: number, count: number, transport: ServedEvent["transport"], reuse = false): AsyncGenerator<{ head: Buffer; data: Uint8Array; release(): void }> {
    const pool = reuse ? this.pool(this.content(root).chunkSize) : undefined;
    for (let i = first; i < first + count; i++) {
      const data = await this.chunk(root, i, transport, pool?.take(this.chunkLength(root, i)));
      yield { head: recordHead(this.store.proof(root, i), data.length), data, release: () => pool?.give(data) };
    }
  }

  /** The records of a run (check it with runBytes first), each as one buffer: its head, then its bytes read in right after it. */
  async *runRecords(root: string, first: number, count: number, transport: ServedEvent["transport"]): AsyncGenerator<Uint8Array> {
    for (let i = first; i < first + count; i++) {
      const length = this.chunkLength(root, i);
      const head = recordHead(this.store.proof(root, i), length);
      // not zero-filled: every byte is written below
      const record = Buffer.allocUnsafeSlow(head.length + length);
      record.set(head);
      const data = await this.chunk(root, i, transport, record.subarray(head.length));
      // a corrupting node's bytes are a copy
      if (data.buffer !== record.buffer) record.set(data, head.length);
      yield record;
    }
  }

  private pool(chunkSize: number): BufferPool {
    let p = this.runBuffers.get(chunkSize);
    if (!p) {
      if (this.runBuffers.size >= 8) this.runBuffers.clear();
      this.runBuffers.set(chunkSize, (p = new BufferPool(chunkSize, Math.max(2, Math.floor(RUN_POOL_BYTES / chunkSize)))));
    }
    return p;
  }

  /** One chunk, counted as served; `into`: read into this buffer, not through the store's cache. */
  async chunk(root: string, index: number, transport: ServedEvent["transport"], into?: Uint8Array): Promise<Uint8Array> {
    this.chunkLength(root, index);
    this.inFlight++;
    try {
      let data = into ? this.store.chunkInto(root, index, into) : this.store.chunk(root, index);
      const f = this.opts.faults;
      if (f?.delayMs) await sleep(f.delayMs);
      if (f?.bandwidthBytesPerSec) await this.pace(data.length, f.bandwidthBytesPerSec);
      if (f?.corruptChunks) {
        data = new Uint8Array(data);
        data[0] ^= 0xff;
      }
      this.served.served(root, data.length);
      this.opts.onServed?.({ root, bytes: data.length, transport });
      return data;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * A client's signed receipt for what this node delivered to it: kept only for a
   * content held here, within its size, and for bytes this node served and no other
   * receipt covers; then the sink checks it as the chain will.
   */
  async receipt(encoded: Uint8Array): Promise<void> {
    if (!this.opts.receipts) throw new DtsError(501, "this node does not collect receipts");
    let r: Receipt;
    try {
      r = Receipt.decode(encoded);
    } catch (err) {
      throw new DtsError(400, `receipt does not decode: ${(err as Error).message}`);
    }
    const m = isContentRoot(r.contentId) ? this.store.manifest(r.contentId) : undefined;
    if (!m) throw new DtsError(400, `receipt is for content ${JSON.stringify(r.contentId.slice(0, 80))}, which this node does not hold`);
    if (r.rangeEnd > BigInt(m.size) || r.rangeStart >= r.rangeEnd) throw new DtsError(400, `receipt range ${r.rangeStart}..${r.rangeEnd} is not within the content's ${m.size} bytes`);
    const bytes = Number(r.rangeEnd - r.rangeStart);
    if (!this.served.take(r.contentId, bytes)) {
      throw new DtsError(400, `receipt claims ${bytes} bytes of ${r.contentId}; this node served ${this.served.available(r.contentId)} bytes of it that no receipt covers yet`);
    }
    try {
      await this.opts.receipts.accept(r);
    } catch (err) {
      this.served.refund(r.contentId, bytes);
      throw new DtsError(400, (err as Error).message);
    }
  }

  /** Serialises sends so the node's total rate stays under the cap. */
  private async pace(bytes: number, perSec: number): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.paceUntil);
    this.paceUntil = start + (bytes * 1000) / perSec;
    await sleep(this.paceUntil - now);
  }
}

/** 400 unless `root` is a content root. */
