import { lpStream, type LengthPrefixedStream } from "@libp2p/utils";
import type { PeerId, Stream } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { AroHost } from "../p2p/host.ts";
import { answerChallenge } from "./challenge.ts";
import { DtsError, type DtsService } from "./service.ts";
import type { ChunkSource } from "./source.ts";

export const DTS_PROTOCOL = "/aro/dts/1.0.0";
const MAX_FRAME = 8 * 1024 * 1024;
const MAX_REQUEST = 8 * 1024;

type Request = { op: "manifest"; root: string } | { op: "chunk"; root: string; index: number } | { op: "receipt"; receipt: string } | { op: "challenge"; nonce: string };
type Header = { ok: true; manifest?: unknown; length?: number; answer?: unknown } | { ok: false; status: number; error: string };

/**
 * PeerDTS over libp2p: a stream carries requests one after another, each a
 * length-prefixed JSON header, answered by a JSON header and (for a chunk) the bytes.
 * Ops: manifest, chunk, receipt, and challenge (a keeper's fresh nonce signed with the
 * node's libp2p key, as GET /challenge does over HTTP).
 */
export async function serveDtsOverLibp2p(host: AroHost, dts: DtsService): Promise<void> {
  await host.handle(DTS_PROTOCOL, async (stream: Stream) => {
    const lp = lpStream(stream, { maxDataLength: MAX_FRAME });
    for (;;) {
      let raw: Uint8Array;
      try {
        raw = (await lp.read()).subarray();
      } catch {
        break; // the client closed the stream
      }
      try {
        await answer(dts, lp, raw);
      } catch (err) {
        const status = err instanceof DtsError ? err.status : 500;
        await lp.write(encode({ ok: false, status, error: (err as Error).message })).catch(() => undefined);
      }
    }
    await stream.close().catch(() => undefined);
  }, { maxInboundStreams: 256 });
}

async function answer(dts: DtsService, lp: LengthPrefixedStream, raw: Uint8Array): Promise<void> {
  if (raw.length > MAX_REQUEST) throw new DtsError(413, `request over ${MAX_REQUEST} bytes`);
  let req: Request;
  try {
    req = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    throw new DtsError(400, "request is not JSON");
  }
  switch (req?.op) {
    case "manifest":
      return lp.write(encode({ ok: true, manifest: dts.manifest(String(req.root)) }));
    case "chunk": {
      const data = await dts.chunk(String(req.root), Number(req.index), "libp2p");
      return lp.writeV([encode({ ok: true, length: data.length }), data]);
    }
    case "receipt":
      await dts.receipt(new Uint8Array(Buffer.from(String(req.receipt), "base64")));
      return lp.write(encode({ ok: true }));
    case "challenge":
      return lp.write(encode({ ok: true, answer: await answerChallenge(dts.opts.identity, typeof req.nonce === "string" ? req.nonce : null) }));
    default:
      throw new DtsError(400, `unknown op ${JSON.stringify((req as { op?: unknown })?.op)}: use manifest, chunk, receipt or challenge`);
  }
}

function encode(v: Request | Header): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(v));
}

/**
 * A node reached over libp2p (directly, or through a relay circuit). Requests run in
 * parallel on a few streams of one connection; each stream carries one request at a time.
 */
export class Libp2pChunkSource implements ChunkSource {
  private readonly idle: Array<LengthPrefixedStream<Stream>> = [];
  private opened = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly host: AroHost, private readonly peer: PeerId | Multiaddr | Multiaddr[], readonly id: string, private readonly maxStreams = 4) {}

  private async take(signal: AbortSignal): Promise<LengthPrefixedStream<Stream>> {
    for (;;) {
      const ready = this.idle.pop();
      if (ready) return ready;
      if (this.opened < this.maxStreams) {
        this.opened++;
        try {
          const s = await this.host.dialProtocol(this.peer, DTS_PROTOCOL, { signal, runOnLimitedConnection: true });
          return lpStream(s, { maxDataLength: MAX_FRAME });
        } catch (err) {
          this.release(undefined);
          throw err;
        }
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  /** Returns a stream to the pool (or, after an error, drops it: its state is unknown). */
  private release(lp: LengthPrefixedStream<Stream> | undefined): void {
    if (lp) this.idle.push(lp);
    else this.opened--;
    this.waiting.shift()?.();
  }

  private async request<T>(req: Request, signal: AbortSignal, withData: boolean): Promise<{ header: Header & { ok: true }; data?: Uint8Array } & T> {
    const lp = await this.take(signal);
    const onAbort = () => lp.unwrap().abort(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await lp.write(encode(req), { signal });
      const header = JSON.parse(Buffer.from((await lp.read({ signal })).subarray()).toString("utf8")) as Header;
      if (!header.ok) {
        this.release(lp);
        throw new DtsError(header.status, `${this.id}: ${header.error}`);
      }
      const data = withData ? (await lp.read({ signal })).subarray() : undefined;
      if (withData && data!.length !== header.length) throw new Error(`${this.id}: announced ${header.length} bytes, sent ${data!.length}`);
      this.release(lp);
      return { header, data } as { header: Header & { ok: true }; data?: Uint8Array } & T;
    } catch (err) {
      if (!(err instanceof DtsError)) {
        lp.unwrap().abort(err as Error);
        this.release(undefined);
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
    await Promise.all(this.idle.splice(0).map((lp) => lp.unwrap().close().catch(() => undefined)));
  }
}
