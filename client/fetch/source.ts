import type { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";

/** A chunk as a node sends it: the bytes and the siblings from its leaf up to the content root. */
export interface ProvenChunk {
  data: Uint8Array;
  proof: Uint8Array[];
}

/** One node a client can pull chunks from, over whichever transport reaches it. */
export interface ChunkSource {
  /** the node's chain id (decimal) when known, else its peer id or URL */
  readonly id: string;
  manifest(root: string, signal: AbortSignal): Promise<unknown>;
  /** One chunk with its audit path to the root (checked by the caller, never trusted). */
  chunk(root: string, index: number, signal: AbortSignal): Promise<ProvenChunk>;
  /**
   * Chunks [first, first + count) in order, each with its audit path, yielded as each
   * arrives (one request: chunk-run.ts; count at most runLimit of the chunk size).
   * Stopping early abandons the rest. `alloc`: where each chunk's bytes go (a BufferPool's take).
   */
  chunks(root: string, first: number, count: number, signal: AbortSignal, alloc?: (length: number) => Uint8Array): AsyncIterable<ProvenChunk>;
  sendReceipt(receipt: Receipt, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** How a node can be reached, as the chain registers it (and PeerRouting lists it). */
export interface NodeAddress {
  readonly id: bigint;
  readonly peerId: string;
  readonly multiaddrs: readonly string[];
  readonly endpoints: readonly string[];
}

/**
 * The way this side reaches a node, or undefined when it has none: over HTTP by default
 * (client/fetch/http-source.ts httpSourceFor); a PeerNode passes one that dials libp2p
 * first (workers/dts/chain-sources.ts sourceForNode).
 */
export type SourceFor = (node: NodeAddress) => ChunkSource | undefined;
