import { setTimeout as sleep } from "node:timers/promises";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { Blockstore } from "./blockstore.ts";
import type { ChunkedContent } from "./content.ts";
import { manifestToJson, type ManifestJson } from "./manifest.ts";
import type { UploadPolicy } from "./upload.ts";
import { isContentRoot } from "./cid.ts";
import type { NodeIdentity } from "./challenge.ts";

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

export class DtsError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
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

  constructor(
    readonly store: Blockstore,
    readonly opts: { receipts?: ReceiptSink; faults?: DtsFaults; onServed?: (e: ServedEvent) => void; uploads?: UploadPolicy; identity?: NodeIdentity } = {},
  ) {}

  manifest(root: string): ManifestJson {
    return manifestToJson(this.content(root));
  }

  /** Size and chunking of a content held here (404 otherwise). */
  content(root: string): ChunkedContent {
    checkRoot(root);
    const m = this.store.manifest(root);
    if (!m) throw new DtsError(404, `content ${root} is not on this node`);
    return m;
  }

  async chunk(root: string, index: number, transport: ServedEvent["transport"]): Promise<Uint8Array> {
    const m = this.content(root);
    if (!Number.isInteger(index) || index < 0 || index >= m.chunkHashes.length) throw new DtsError(416, `chunk ${index} is outside 0..${m.chunkHashes.length - 1}`);
    this.inFlight++;
    try {
      let data = this.store.chunk(root, index);
      const f = this.opts.faults;
      if (f?.delayMs) await sleep(f.delayMs);
      if (f?.bandwidthBytesPerSec) await this.pace(data.length, f.bandwidthBytesPerSec);
      if (f?.corruptChunks) {
        data = new Uint8Array(data);
        data[0] ^= 0xff;
      }
      this.opts.onServed?.({ root, bytes: data.length, transport });
      return data;
    } finally {
      this.inFlight--;
    }
  }

  /** A client's signed receipt for what this node delivered to it. */
  async receipt(encoded: Uint8Array): Promise<void> {
    if (!this.opts.receipts) throw new DtsError(501, "this node does not collect receipts");
    let r: Receipt;
    try {
      r = Receipt.decode(encoded);
    } catch (err) {
      throw new DtsError(400, `receipt does not decode: ${(err as Error).message}`);
    }
    try {
      await this.opts.receipts.accept(r);
    } catch (err) {
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
export function checkRoot(root: string): void {
  if (!isContentRoot(root)) throw new DtsError(400, `content root must be 64 hex digits, got ${JSON.stringify(root)}`);
}
