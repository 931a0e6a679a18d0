import { lpStream, type LengthPrefixedStream } from "@libp2p/utils";
import type { Connection, Stream } from "@libp2p/interface";
import type { AroHost } from "../p2p/host.ts";
import { answerChallenge } from "./challenge.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";
import type { DtsService } from "./service.ts";
import { proofToHex } from "../../client/content/proof-hex.ts";
import { DEFAULT_PROBES_PER_MINUTE, DEFAULT_RELAYED_BYTES, DIRECT_REQUIRED, DTS_PROBE_PROTOCOL, DTS_PROTOCOL, DtsCodedError, encode, isRelayed, MAX_FRAME, PROBE_RATE_LIMITED, type Request } from "./p2p-protocol.ts";

const MAX_REQUEST = 8 * 1024;

export interface ServeDtsOptions {
  /**
   * Bytes of content (manifests and chunks) one relayed connection may carry over
   * /aro/dts in all (default 2 MiB): past it the node answers direct_connection_required,
   * and the client must reach it directly (DCUtR upgrades a relayed connection when it can).
   */
  relayedBytesPerConnection?: number;
  /** Manifest and chunk requests one connection may make over /aro/dts-probe per minute (default 12). */
  probesPerMinute?: number;
}

/**
 * PeerDTS over libp2p: a stream carries requests one after another, each a
 * length-prefixed JSON header, answered by a JSON header and (for a chunk) the bytes.
 * Ops: manifest, chunk, chunks (a run: a header, then each chunk's record,
 * client/fetch/chunk-run.ts, in a frame of its own), receipt, and challenge (a watcher's fresh nonce signed with the
 * node's libp2p key, as GET /challenge does over HTTP).
 *
 * Two protocols, so that a relay carries probes and not bulk content:
 * - /aro/dts/1.0.0, every op, never on a limited connection (libp2p refuses the stream);
 *   on a relayed one (an Aro relay grants unlimited circuits) manifests and chunks count
 *   against relayedBytesPerConnection, past which a request is refused with
 *   `direct_connection_required` (status 403);
 * - /aro/dts-probe/1.0.0, only challenge, manifest and chunk, one request at a time per
 *   stream, on any connection, limited ones included; manifest and chunk requests at most
 *   probesPerMinute per connection (`probe_rate_limited`, status 429).
 */
export async function serveDtsOverLibp2p(host: AroHost, dts: DtsService, o: ServeDtsOptions = {}): Promise<void> {
  const budget = o.relayedBytesPerConnection ?? DEFAULT_RELAYED_BYTES;
  const probeRate = o.probesPerMinute ?? DEFAULT_PROBES_PER_MINUTE;
  const carried = new WeakMap<Connection, number>();
  const probes = new WeakMap<Connection, { start: number; n: number }>();
  const bulk: Gate = {
    ops: ["manifest", "chunk", "chunks", "receipt", "challenge"],
    before(conn, size) {
      if (!isRelayed(conn)) return;
      const used = carried.get(conn) ?? 0;
      if (used + size > budget) {
        throw new DtsCodedError(403, DIRECT_REQUIRED, `${DIRECT_REQUIRED}: this relayed connection has carried ${used} of its ${budget} bytes of content; reach the node directly (DCUtR) for more`);
      }
      carried.set(conn, used + size);
    },
  };
  const probe: Gate = {
    ops: ["challenge", "manifest", "chunk"],
    before(conn) {
      const now = Date.now();
      let w = probes.get(conn);
      if (!w || now - w.start >= 60_000 || now < w.start) probes.set(conn, (w = { start: now, n: 0 }));
      if (w.n >= probeRate) throw new DtsCodedError(429, PROBE_RATE_LIMITED, `${PROBE_RATE_LIMITED}: at most ${probeRate} probe requests per connection per minute`);
      w.n++;
    },
  };
  await host.handle(DTS_PROTOCOL, (stream, conn) => serveStream(dts, stream, conn, bulk), { maxInboundStreams: 256 });
  await host.handle(DTS_PROBE_PROTOCOL, (stream, conn) => serveStream(dts, stream, conn, probe), { maxInboundStreams: 4, runOnLimitedConnection: true });
}

/** Which ops a protocol answers, and a check (that may throw) before a manifest or chunk of `size` bytes is sent. */
interface Gate {
  ops: ReadonlyArray<Request["op"]>;
  before(conn: Connection, size: number): void;
}

async function serveStream(dts: DtsService, stream: Stream, conn: Connection, gate: Gate): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME });
  for (;;) {
    let raw: Uint8Array;
    try {
      raw = (await lp.read()).subarray();
    } catch {
      break; // the client closed the stream
    }
    try {
      await answer(dts, lp, raw, conn, gate);
    } catch (err) {
      const status = err instanceof DtsError ? err.status : 500;
      const code = err instanceof DtsCodedError ? err.code : undefined;
      await lp.write(encode({ ok: false, status, error: (err as Error).message, ...(code ? { code } : {}) })).catch(() => undefined);
    }
  }
  await stream.close().catch(() => undefined);
}

async function answer(dts: DtsService, lp: LengthPrefixedStream, raw: Uint8Array, conn: Connection, gate: Gate): Promise<void> {
  if (raw.length > MAX_REQUEST) throw new DtsError(413, `request over ${MAX_REQUEST} bytes`);
  let req: Request;
  try {
    req = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    throw new DtsError(400, "request is not JSON");
  }
  if (!gate.ops.includes(req?.op)) throw new DtsError(400, `unknown op ${JSON.stringify((req as { op?: unknown })?.op)}: use ${gate.ops.join(", ")}`);
  switch (req.op) {
    case "manifest": {
      const body = encode({ ok: true, manifest: dts.manifest(String(req.root)) });
      gate.before(conn, body.length);
      return lp.write(body);
    }
    case "chunk": {
      gate.before(conn, dts.chunkLength(String(req.root), Number(req.index)));
      const data = await dts.chunk(String(req.root), Number(req.index), "libp2p");
      return lp.writeV([encode({ ok: true, length: data.length, proof: proofToHex(dts.proof(String(req.root), Number(req.index))) }), data]);
    }
    case "chunks": {
      const [root, first, count] = [String(req.root), Number(req.first), Number(req.count)];
      gate.before(conn, dts.runBytes(root, first, count));
      await lp.write(encode({ ok: true, count }));
      for await (const record of dts.runRecords(root, first, count, "libp2p")) await lp.write(record);
      return;
    }
    case "receipt":
      await dts.receipt(new Uint8Array(Buffer.from(String(req.receipt), "base64")));
      return lp.write(encode({ ok: true }));
    case "challenge":
      return lp.write(encode({ ok: true, answer: await answerChallenge(dts.opts.identity, typeof req.nonce === "string" ? req.nonce : null) }));
  }
}
