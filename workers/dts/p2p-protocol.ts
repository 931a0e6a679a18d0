import { lpStream, type LengthPrefixedStream } from "@libp2p/utils";
import type { Connection, PeerId, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { AroHost } from "../p2p/host.ts";
import { answerChallenge } from "./challenge.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";
import type { DtsService } from "./service.ts";
import type { ChunkSource } from "../../client/fetch/source.ts";

export const DTS_PROTOCOL = "/aro/dts/1.0.0";
/**
 * Probes and small requests: a keeper's or routing's signed-nonce challenge, the manifest
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
const MAX_FRAME = 8 * 1024 * 1024;
const MAX_REQUEST = 8 * 1024;

type Request = { op: "manifest"; root: string } | { op: "chunk"; root: string; index: number } | { op: "receipt"; receipt: string } | { op: "challenge"; nonce: string };
type Header = { ok: true; manifest?: unknown; length?: number; answer?: unknown } | { ok: false; status: number; error: string; code?: string };

/** A refusal with a machine-readable code (sent as the header's `code`). */
export class DtsCodedError extends DtsError {
  constructor(status: number, readonly code: string, message: string) {
    super(status, message);
  }
}

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

/** Whether a connection runs through a relay: limited (circuit relay v2 default limits) or a /p2p-circuit address (an Aro relay, unlimited). */
export function isRelayed(c: Connection): boolean {
  return c.limits !== undefined || c.remoteAddr.toString().includes("/p2p-circuit");
}

/**
 * PeerDTS over libp2p: a stream carries requests one after another, each a
 * length-prefixed JSON header, answered by a JSON header and (for a chunk) the bytes.
 * Ops: manifest, chunk, receipt, and challenge (a keeper's fresh nonce signed with the
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
    ops: ["manifest", "chunk", "receipt", "challenge"],
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
      return lp.writeV([encode({ ok: true, length: data.length }), data]);
    }
    case "receipt":
      await dts.receipt(new Uint8Array(Buffer.from(String(req.receipt), "base64")));
      return lp.write(encode({ ok: true }));
    case "challenge":
      return lp.write(encode({ ok: true, answer: await answerChallenge(dts.opts.identity, typeof req.nonce === "string" ? req.nonce : null) }));
  }
}

function encode(v: Request | Header): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v));
}

export interface Libp2pSourceOptions {
  /** DTS_PROTOCOL (default) or DTS_PROBE_PROTOCOL (a probe: challenge, manifest, a chunk; runs on limited connections too). */
  protocol?: string;
  /**
   * When the node refuses more content over a relayed connection (direct_connection_required),
   * how long to wait for a direct connection to it (DCUtR: the node dials back when it
   * can) before giving up; the request is retried once over it (default 5 s, 0: no wait).
   */
  waitDirectMs?: number;
}

type Pooled = { lp: LengthPrefixedStream<Stream>; conn: Connection };

/**
 * A node reached over libp2p (directly, or through a relay circuit). Requests run in
 * parallel on a few streams of one connection; each stream carries one request at a time.
 * Over a relay the node serves only so much content (see serveDtsOverLibp2p); then this
 * waits briefly for a direct connection and goes on over it, or fails with a
 * DtsCodedError coded direct_connection_required.
 */
export class Libp2pChunkSource implements ChunkSource {
  private readonly idle: Pooled[] = [];
  private opened = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly protocol: string;
  private readonly waitDirectMs: number;
  private remote?: PeerId;

  constructor(private readonly host: AroHost, private readonly peer: PeerId | Multiaddr | Multiaddr[], readonly id: string, private readonly maxStreams = 4, o: Libp2pSourceOptions = {}) {
    this.protocol = o.protocol ?? DTS_PROTOCOL;
    this.waitDirectMs = o.waitDirectMs ?? 5_000;
  }

  /** An open connection to the node that is not relayed, if this host has one. */
  private direct(): Connection | undefined {
    if (!this.remote) return undefined;
    return this.host.getConnections(this.remote).find((c) => c.status === "open" && !isRelayed(c));
  }

  private async take(signal: AbortSignal): Promise<Pooled> {
    for (;;) {
      const ready = this.idle.pop();
      if (ready) return ready;
      if (this.opened < this.maxStreams) {
        this.opened++;
        try {
          const conn = this.direct() ?? (await this.host.dial(this.peer, { signal }));
          this.remote = conn.remotePeer;
          const s = await conn.newStream(this.protocol, { signal, runOnLimitedConnection: true });
          return { lp: lpStream(s, { maxDataLength: MAX_FRAME }), conn };
        } catch (err) {
          this.release(undefined);
          throw err;
        }
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  /** Returns a stream to the pool (or, after an error, drops it: its state is unknown). */
  private release(p: Pooled | undefined): void {
    if (p) this.idle.push(p);
    else this.opened--;
    this.waiting.shift()?.();
  }

  private async request<T>(req: Request, signal: AbortSignal, withData: boolean): Promise<{ header: Header & { ok: true }; data?: Uint8Array } & T> {
    try {
      return await this.requestOnce<T>(req, signal, withData);
    } catch (err) {
      if (!(err instanceof DtsCodedError && err.code === DIRECT_REQUIRED) || this.waitDirectMs <= 0) throw err;
      // the relay has carried this node's share: drop the relayed streams, wait for a direct connection, ask once more
      for (const p of this.idle.splice(0)) {
        this.opened--;
        await p.lp.unwrap().close().catch(() => undefined);
      }
      if (!(await this.awaitDirect(signal))) throw err;
      return this.requestOnce<T>(req, signal, withData);
    }
  }

  private async awaitDirect(signal: AbortSignal): Promise<boolean> {
    if (this.direct()) return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.host.removeEventListener("connection:open", check);
        signal.removeEventListener("abort", abort);
        resolve(ok);
      };
      const check = () => {
        if (this.direct()) done(true);
      };
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), this.waitDirectMs);
      this.host.addEventListener("connection:open", check);
      signal.addEventListener("abort", abort, { once: true });
    });
  }

  private async requestOnce<T>(req: Request, signal: AbortSignal, withData: boolean): Promise<{ header: Header & { ok: true }; data?: Uint8Array } & T> {
    const p = await this.take(signal);
    const { lp, conn } = p;
    const onAbort = () => lp.unwrap().abort(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await lp.write(encode(req), { signal });
      const header = JSON.parse(Buffer.from((await lp.read({ signal })).subarray()).toString("utf8")) as Header;
      if (!header.ok) {
        this.release(p);
        if (header.code) throw new DtsCodedError(header.status, header.code, `${this.id}: ${header.error}`);
        throw new DtsError(header.status, `${this.id}: ${header.error}`);
      }
      const data = withData ? (await lp.read({ signal })).subarray() : undefined;
      if (withData && data!.length !== header.length) throw new Error(`${this.id}: announced ${header.length} bytes, sent ${data!.length}`);
      this.release(p);
      return { header, data } as { header: Header & { ok: true }; data?: Uint8Array } & T;
    } catch (err) {
      if (err instanceof DtsError) throw err;
      lp.unwrap().abort(err as Error);
      this.release(undefined);
      // libp2p refuses /aro/dts on a limited (relay v2) connection: say so, with the code
      if (conn.limits !== undefined && this.protocol === DTS_PROTOCOL && !signal.aborted) {
        throw new DtsCodedError(403, DIRECT_REQUIRED, `${this.id}: ${DIRECT_REQUIRED}: the connection is a limited relay circuit, which carries only ${DTS_PROBE_PROTOCOL}; the node refused ${DTS_PROTOCOL} on it (${(err as Error).message})`);
      }
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async manifest(root: string, signal: AbortSignal): Promise<unknown> {
    return (await this.request({ op: "manifest", root }, signal, false)).header.manifest;
  }

  async chunk(root: string, index: number, signal: AbortSignal): Promise<Uint8Array> {
    return (await this.request({ op: "chunk", root, index }, signal, true)).data!;
  }

  async sendReceipt(receipt: Receipt, signal: AbortSignal): Promise<void> {
    await this.request({ op: "receipt", receipt: Buffer.from(Receipt.encode(receipt).finish()).toString("base64") }, signal, false);
  }

  /** The node's answer to a challenge nonce (64 hex digits): check it with challengeFailure. */
  async challenge(nonceHex: string, signal: AbortSignal): Promise<unknown> {
    return (await this.request({ op: "challenge", nonce: nonceHex }, signal, false)).header.answer;
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((p) => p.lp.unwrap().close().catch(() => undefined)));
  }
}
