import { randomBytes } from "node:crypto";
import type { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { ReceiptSigner } from "./receipt-signer.ts";
import { chunkRange, type ContentInfo } from "../content/manifest.ts";

/** Contiguous byte ranges covered by a sorted list of chunk indices. */
export function servedRanges(content: ContentInfo, chunks: readonly number[]): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  for (const i of chunks) {
    const r = chunkRange(content, i);
    const last = ranges[ranges.length - 1];
    if (last && last.end === r.start) last.end = r.end;
    else ranges.push({ ...r });
  }
  return ranges;
}

/** A fresh receipt nonce: random 64 bits, so two downloads never collide in a node's claim. */
export function receiptNonce(): bigint {
  return randomBytes(8).readBigUInt64BE();
}

/** The client's signed receipts for what one node delivered: one per contiguous range. */
export async function signDelivery(signer: ReceiptSigner, nodeId: bigint, epoch: bigint, content: ContentInfo, chunks: readonly number[]): Promise<Receipt[]> {
  const out: Receipt[] = [];
  for (const r of servedRanges(content, chunks)) {
    out.push(await signer.sign({ nodeId, contentId: content.root, rangeStart: BigInt(r.start), rangeEnd: BigInt(r.end), epoch, nonce: receiptNonce() }));
  }
  return out;
}
