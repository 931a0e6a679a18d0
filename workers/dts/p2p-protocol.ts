import type { Connection } from "@libp2p/interface";
import { DtsError } from "../../client/fetch/dts-error.ts";

/** PeerDTS over libp2p, what both sides share: protocol ids, refusal codes, limits, frames (server: p2p-server.ts, client: p2p-chunk-source.ts). */

export const DTS_PROTOCOL = "/aro/dts/1.0.0";
/**
 * Probes and small requests: a watcher's or routing's signed-nonce challenge, the manifest
 * and one chunk to check against the root. The only PeerDTS protocol that runs on a
 * limited (circuit relay v2) connection.
 */
export const DTS_PROBE_PROTOCOL = "/aro/dts-probe/1.0.0";
/** The code of the refusal a relayed connection gets once it has carried its share of content. */
export const DIRECT_REQUIRED = "direct_connection_required";
/** The code of the refusal of a probe request over the per-connection probe rate. */
export const PROBE_RATE_LIMITED = "probe_rate_limited";
/** Default bytes of content one relayed connection may carry over /aro/dts. */
export const DEFAULT_RELAYED_BYTES = 2 * 1024 * 1024;
/** Default probe requests (manifest or chunk) one connection may make per minute over /aro/dts-probe. */
export const DEFAULT_PROBES_PER_MINUTE = 12;
/** Largest length-prefixed frame either side reads. */
export const MAX_FRAME = 8 * 1024 * 1024;

/** A request frame (JSON). */
export type Request = { op: "manifest"; root: string } | { op: "chunk"; root: string; index: number } | { op: "chunks"; root: string; first: number; count: number } | { op: "receipt"; receipt: string } | { op: "challenge"; nonce: string };
/** The JSON header answering a request (a chunk's bytes follow it in their own frame; a run's chunks each in its own frame, as client/fetch/chunk-run.ts records). */
export type Header = { ok: true; manifest?: unknown; length?: number; proof?: string; answer?: unknown } | { ok: false; status: number; error: string; code?: string };

/** A refusal with a machine-readable code (sent as the header's `code`). */
export class DtsCodedError extends DtsError {
  constructor(status: number, readonly code: string, message: string) {
    super(status, message);
  }
}

/** Whether a connection runs through a relay: limited (circuit relay v2 default limits) or a /p2p-circuit address (an Aro relay, unlimited). */
export function isRelayed(c: Connection): boolean {
  return c.limits !== undefined || c.remoteAddr.toString().includes("/p2p-circuit");
}

/** A request or header as a frame's bytes. */
export function encode(v: Request | Header): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v));
}
