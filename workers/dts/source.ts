import type { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";

/** One node a client can pull chunks from, over whichever transport reaches it. */
export interface ChunkSource {
  /** the node's chain id (decimal) when known, else its peer id or URL */
  readonly id: string;
  manifest(root: string, signal: AbortSignal): Promise<unknown>;
  chunk(root: string, index: number, signal: AbortSignal): Promise<Uint8Array>;
  sendReceipt(receipt: Receipt, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
