import { GrantReceiptSigner, Receipt, type DeliveryGrant, type SessionKey } from "../receipts/session-signer.ts";
import { findFile, parseDirectory, parseTrailer, TRAILER_BYTES, type CollectionFile } from "../content/collection.ts";
import { chunkVerifies, proofFromHexWeb } from "./verify.ts";

/** What a page needs besides AroWeb: the grant's codec (DeliveryGrant.fromJSON) and its session key. */
export { DeliveryGrant, generateSessionKey, sessionKeyFrom } from "../receipts/session-signer.ts";

/**
 * Aro for web pages (ESM, no Node built-ins; built into .bin/aro-web.js by
 * scripts/build-web): fetches content from the nodes PeerRouting picks, checks every chunk
 * with its audit path against the content root, and pays with a publisher's delivery grant
 * — the page's session key signs a receipt for what each node delivered, which the
 * publisher's escrow pays up to the grant's cap. Nodes that fail or send bad bytes are
 * reported to routing and left for the others.
 */
export interface AroWebOptions {
  /** PeerRouting's HTTP API */
  routingUrl: string;
  region?: string;
  /** nodes to spread one fetch over (default 4) */
  maxNodes?: number;
  /** the publisher's grant for this page's session key, and the key: receipts are signed only with both */
  grant?: DeliveryGrant;
  sessionKey?: SessionKey;
  /** the chain's REST API, for the current epoch receipts carry (GET /aro/gpow/v1/epoch_info) */
  restUrl?: string;
  /** parallel chunk requests (default 6) */
  parallel?: number;
}

export interface WebFetch {
  bytes: Uint8Array;
  mediaType: string;
  /** the collection's file, when fetched by path */
  file?: CollectionFile;
  /** chunks each node delivered (verified), by node id */
  servedBy: Record<string, number>;
  /** receipts sent to the nodes that served, and the ones they refused */
  receipts: Array<{ nodeId: string; bytes: number; delivered: boolean; error?: string }>;
}

interface RoutedNode {
  nodeId: string;
  httpUrl?: string;
  holds: boolean;
}

export class AroWeb {
  private readonly signer?: GrantReceiptSigner;

  constructor(private readonly o: AroWebOptions) {
    if (o.grant && o.sessionKey) this.signer = new GrantReceiptSigner(o.sessionKey, o.grant);
  }

  /** A whole content, or one file of a collection by its path; every chunk checked against `root`. */
  async get(root: string, path?: string): Promise<WebFetch> {
    if (!/^[0-9a-f]{64}$/.test(root)) throw new Error(`a content root is 64 hex digits, got ${JSON.stringify(root)}`);
    const nodes = await this.route(root);
    const reader = new ChunkReader(root, nodes, this.o.parallel ?? 6, (nodeId, why) => this.failed(root, nodeId, why));
    await reader.open();
    let file: CollectionFile | undefined;
    let bytes: Uint8Array;
    let mediaType = "application/octet-stream";
    if (path !== undefined) {
      const where = parseTrailer(await reader.bytes(reader.size - TRAILER_BYTES, reader.size), reader.size);
      const dir = parseDirectory(await reader.bytes(where.offset, where.offset + where.length), where.offset);
      file = findFile(dir, path === "" || path.endsWith("/") ? `${path}index.html` : path);
      if (!file) throw new Error(`the collection has no file ${JSON.stringify(path)}`);
      bytes = await reader.bytes(file.offset, file.offset + file.size);
      mediaType = file.mediaType || mediaType;
    } else {
      bytes = await reader.bytes(0, reader.size);
      mediaType = (await reader.mediaType()) ?? mediaType;
    }
    const receipts = this.signer ? await this.sendReceipts(root, reader) : [];
    const servedBy = Object.fromEntries([...reader.served].map(([id, chunks]) => [id, chunks.size]));
    return { bytes, mediaType, file, servedBy, receipts };
  }

  /** A blob: URL for an <img>, <script> or <video> (revoke it with URL.revokeObjectURL when done). */
  async objectUrl(root: string, path?: string): Promise<string> {
    const r = await this.get(root, path);
    return URL.createObjectURL(new Blob([r.bytes], { type: r.mediaType }));
  }

  private async route(root: string): Promise<Array<{ nodeId: string; url: string }>> {
    const res = await fetch(`${this.o.routingUrl}/route?content=${root}&region=${encodeURIComponent(this.o.region ?? "any")}&n=${this.o.maxNodes ?? 4}`);
    const body = (await res.json()) as { nodes?: RoutedNode[]; message?: string };
    if (!res.ok) throw new Error(`PeerRouting refused: ${body.message ?? res.status}`);
    const nodes = (body.nodes ?? []).filter((n) => n.holds && n.httpUrl).map((n) => ({ nodeId: n.nodeId, url: n.httpUrl!.replace(/\/$/, "") }));
    if (nodes.length === 0) throw new Error(`routing knows no node serving ${root} over HTTP`);
    return nodes;
  }

  private failed(root: string, nodeId: string, _why: string): void {
    void fetch(`${this.o.routingUrl}/failed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ nodeId, content: root }) }).catch(() => undefined);
  }

  private async epoch(): Promise<bigint> {
    if (!this.o.restUrl) throw new Error("restUrl is needed to sign receipts (the current epoch)");
    const r = (await (await fetch(`${this.o.restUrl.replace(/\/$/, "")}/aro/gpow/v1/epoch_info`)).json()) as { epoch?: string };
    if (!/^\d+$/.test(r.epoch ?? "")) throw new Error("the chain's REST API gave no epoch");
    return BigInt(r.epoch!);
  }

  /** One receipt per contiguous run of chunks each node delivered, signed with the session key, POSTed to that node. */
  private async sendReceipts(root: string, reader: ChunkReader): Promise<WebFetch["receipts"]> {
    const epoch = await this.epoch();
    const out: WebFetch["receipts"] = [];
    for (const [nodeId, chunks] of reader.served) {
      const url = reader.urlOf(nodeId);
      if (!url || reader.bad.has(nodeId)) continue;
      for (const [start, end] of reader.runs([...chunks].sort((a, b) => a - b))) {
        try {
          const receipt = this.signer!.sign({ nodeId: BigInt(nodeId), contentId: root, rangeStart: BigInt(start), rangeEnd: BigInt(end), epoch });
          const res = await fetch(`${url}/receipt`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: Receipt.encode(receipt).finish() });
          const text = await res.text();
          out.push({ nodeId, bytes: end - start, delivered: res.ok, ...(res.ok ? {} : { error: `${res.status} ${text.trim()}` }) });
        } catch (err) {
          out.push({ nodeId, bytes: end - start, delivered: false, error: (err as Error).message });
        }
      }
    }
    return out;
  }
}

/** Chunks of one content from several nodes, each checked with its audit path, kept for the duration of one fetch. */
class ChunkReader {
  size = 0;
  private chunkSize = 0;
  private count = 0;
  private live: Array<{ nodeId: string; url: string }>;
  private readonly urls: Map<string, string>;
  /** nodes that sent bytes that do not match the root: no receipt for anything they sent */
  readonly bad = new Set<string>();
  private readonly chunks = new Map<number, Promise<Uint8Array>>();
  readonly served = new Map<string, Set<number>>();

  constructor(private readonly root: string, nodes: Array<{ nodeId: string; url: string }>, private readonly parallel: number, private readonly onFail: (nodeId: string, why: string) => void) {
    this.live = [...nodes];
    this.urls = new Map(nodes.map((n) => [n.nodeId, n.url]));
  }

  urlOf(nodeId: string): string | undefined {
    return this.urls.get(nodeId);
  }

  async open(): Promise<void> {
    for (const n of [...this.live]) {
      try {
        const m = (await (await fetch(`${n.url}/manifest/${this.root}`)).json()) as { size?: unknown; chunkSize?: unknown };
        if (!Number.isSafeInteger(m.size) || !Number.isSafeInteger(m.chunkSize) || (m.size as number) <= 0 || (m.chunkSize as number) <= 0) throw new Error("malformed manifest");
        this.size = m.size as number;
        this.chunkSize = m.chunkSize as number;
        this.count = Math.ceil(this.size / this.chunkSize);
        return;
      } catch (err) {
        this.drop(n.nodeId, (err as Error).message);
      }
    }
    throw new Error(`no node gave the manifest of ${this.root}`);
  }

  async mediaType(): Promise<string | undefined> {
    const n = this.live[0];
    return n ? ((await fetch(`${n.url}/content/${this.root}`, { method: "HEAD" })).headers.get("content-type") ?? undefined) : undefined;
  }

  private drop(nodeId: string, why: string): void {
    this.live = this.live.filter((n) => n.nodeId !== nodeId);
    this.onFail(nodeId, why);
  }

  private chunk(index: number): Promise<Uint8Array> {
    let p = this.chunks.get(index);
    if (!p) {
      p = this.fetchChunk(index);
      this.chunks.set(index, p);
    }
    return p;
  }

  private async fetchChunk(index: number): Promise<Uint8Array> {
    const length = Math.min(this.chunkSize, this.size - index * this.chunkSize);
    for (let attempt = 0; this.live.length > 0; attempt++) {
      const n = this.live[(index + attempt) % this.live.length];
      try {
        const res = await fetch(`${n.url}/chunk/${this.root}/${index}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data = new Uint8Array(await res.arrayBuffer());
        const proof = proofFromHexWeb(res.headers.get("x-aro-proof") ?? "");
        if (data.length !== length || !proof || !chunkVerifies(this.root, this.count, index, data, proof)) {
          this.bad.add(n.nodeId);
          throw new Error(`chunk ${index} does not match the root`);
        }
        const set = this.served.get(n.nodeId) ?? new Set<number>();
        set.add(index);
        this.served.set(n.nodeId, set);
        return data;
      } catch (err) {
        if (this.live.includes(n)) this.drop(n.nodeId, (err as Error).message);
      }
    }
    throw new Error(`every node failed for chunk ${index} of ${this.root}`);
  }

  /** Bytes [start, end), from the chunks under them, `parallel` requests at a time. */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    const first = Math.floor(start / this.chunkSize);
    const last = Math.ceil(end / this.chunkSize);
    const out = new Uint8Array(end - start);
    let next = first;
    const worker = async () => {
      for (let i = next++; i < last; i = next++) {
        const c = await this.chunk(i);
        const from = Math.max(start, i * this.chunkSize);
        const to = Math.min(end, i * this.chunkSize + c.length);
        out.set(c.subarray(from - i * this.chunkSize, to - i * this.chunkSize), from - start);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, last - first) }, worker));
    return out;
  }

  /** Contiguous byte ranges of sorted chunk indices. */
  runs(sorted: number[]): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const i of sorted) {
      const s = i * this.chunkSize;
      const e = Math.min(this.size, s + this.chunkSize);
      const last = out[out.length - 1];
      if (last && last[1] === s) last[1] = e;
      else out.push([s, e]);
    }
    return out;
  }
}
