import { lpStream, type LengthPrefixedStream } from "@libp2p/utils";
import type { Connection, PeerId, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { AroHost } from "../p2p/host.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";
import type { ChunkSource, ProvenChunk } from "../../client/fetch/source.ts";
import { proofFromHex } from "../../client/content/proof-hex.ts";
import { ChunkRunDecoder } from "../../client/fetch/chunk-run.ts";
import { DIRECT_REQUIRED, DTS_PROBE_PROTOCOL, DTS_PROTOCOL, DtsCodedError, encode, isRelayed, MAX_FRAME, type Header, type Request } from "./p2p-protocol.ts";

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
      if (!(await this.directAfter(err, signal))) throw err;
      return this.requestOnce<T>(req, signal, withData);
    }
  }

  /**
   * After `err`: when the relay has carried this node's share, drops the relayed streams
   * and waits for a direct connection (true: ask once more over it).
   */
  private async directAfter(err: unknown, signal: AbortSignal): Promise<boolean> {
    if (!(err instanceof DtsCodedError && err.code === DIRECT_REQUIRED) || this.waitDirectMs <= 0) return false;
    for (const p of this.idle.splice(0)) {
      this.opened--;
      await p.lp.unwrap().close().catch(() => undefined);
    }
    return this.awaitDirect(signal);
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

  async chunk(root: string, index: number, signal: AbortSignal): Promise<ProvenChunk> {
    const { header, data } = await this.request({ op: "chunk", root, index }, signal, true);
    return { data: data!, proof: proofFromHex(header.proof ?? "") };
  }

  async *chunks(root: string, first: number, count: number, signal: AbortSignal, alloc?: (length: number) => Uint8Array): AsyncGenerator<ProvenChunk> {
    let sent = 0;
    try {
      for await (const c of this.runOnce(root, first, count, signal, alloc)) {
        sent++;
        yield c;
      }
    } catch (err) {
      if (sent > 0 || !(await this.directAfter(err, signal))) throw err;
      yield* this.runOnce(root, first, count, signal, alloc);
    }
  }

  /** One run over one stream: the header, then a frame per chunk's record (see p2p-server.ts). */
  private async *runOnce(root: string, first: number, count: number, signal: AbortSignal, alloc?: (length: number) => Uint8Array): AsyncGenerator<ProvenChunk> {
    const p = await this.take(signal);
    const { lp, conn } = p;
    const onAbort = () => lp.unwrap().abort(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    let clean = false;
    try {
      await lp.write(encode({ op: "chunks", root, first, count }), { signal });
      const header = JSON.parse(Buffer.from((await lp.read({ signal })).subarray()).toString("utf8")) as Header;
      if (!header.ok) {
        clean = true;
        if (header.code) throw new DtsCodedError(header.status, header.code, `${this.id}: ${header.error}`);
        throw new DtsError(header.status, `${this.id}: ${header.error}`);
      }
      const decoder = new ChunkRunDecoder(count, alloc);
      for (let got = 0; got < count;) {
        const frame = await lp.read({ signal });
        for (const piece of frame) {
          for (const c of decoder.push(piece)) {
            got++;
            yield c;
          }
        }
      }
      decoder.end();
      clean = true;
    } catch (err) {
      if (err instanceof DtsError) throw err;
      if (conn.limits !== undefined && !signal.aborted) {
        throw new DtsCodedError(403, DIRECT_REQUIRED, `${this.id}: ${DIRECT_REQUIRED}: the connection is a limited relay circuit, which carries only ${DTS_PROBE_PROTOCOL}; the node refused ${DTS_PROTOCOL} on it (${(err as Error).message})`);
      }
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
      // a stream left mid-run (an error, or the consumer stopped early) is not reused
      if (clean) this.release(p);
      else {
        lp.unwrap().abort(new Error("run abandoned"));
        this.release(undefined);
      }
    }
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
