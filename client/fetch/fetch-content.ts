import { request } from "undici";
import type { Blockstore } from "../content/blockstore.ts";
import { rootOf } from "../content/cid.ts";
import type { ContentInfo } from "../content/manifest.ts";
import { signLatencyReport } from "../latency-report.ts";
import { signDelivery } from "../receipts/delivery.ts";
import type { ReceiptSigner } from "../receipts/receipt-signer.ts";
import { download, type ByteWindow, type DownloadProgress, type DownloadResult, type DroppedSource } from "./downloader.ts";
import { fetchCollectionFile } from "./collection-fetch.ts";
import type { CollectionFile } from "../content/collection.ts";
import { httpSourceFor } from "./http-source.ts";
import type { ChunkSource, SourceFor } from "./source.ts";

export interface FetchOptions {
  /** PeerRouting API that ranks the nodes for this client */
  routingUrl: string;
  region: string;
  /** where chunks land (an interrupted fetch resumes from it) */
  store: Blockstore;
  /**
   * how a node is reached: over HTTP unless given (a PeerNode's libp2p host reaches nodes
   * over libp2p, relays included: `(node) => sourceForNode(node, host)` from workers/dts/chain-sources.ts)
   */
  sourceFor?: SourceFor;
  /** signs delivery receipts for the nodes that served (a paying customer's key) */
  signer?: ReceiptSigner;
  /** the chain's current epoch (receipts are per epoch) */
  epoch?: () => Promise<bigint>;
  maxSources?: number;
  chunkTimeoutMs?: number;
  onProgress?: (p: DownloadProgress) => void;
  /** one file of a collection, by its path (client/content/collection.ts) */
  path?: string;
  /** only these bytes (of the file when `path` is given, else of the content): only the chunks under them are fetched */
  range?: ByteWindow;
  /** Called with the bytes each node is about to get receipts for, before any is sent (e.g. to allot escrow to those nodes). */
  beforeReceipts?: (bytesByNode: Map<string, bigint>) => Promise<void>;
}

export interface ReceiptOutcome {
  nodeId: string;
  bytes: bigint;
  delivered: boolean;
  error?: string;
}

export interface FetchResult {
  root: string;
  content: ContentInfo;
  /** the content's bytes, verified, in the store (its data file: link or copy it, do not write to it; with `path` or `range` only `window` is there) */
  path: string;
  /** the bytes fetched: the whole content, or the file or range asked for (read them with `store.pieces(root, window.start, window.end)`) */
  window: ByteWindow;
  /** the collection's file fetched by `path` */
  file?: CollectionFile;
  /** whether the whole content is in the store */
  complete: boolean;
  /** chunks that were already in the store (an interrupted fetch resumed) */
  resumed: number;
  servedBy: Map<string, number[]>;
  dropped: DroppedSource[];
  receipts: ReceiptOutcome[];
}

interface RoutedNode {
  nodeId: string;
  peerId: string;
  httpUrl?: string;
  multiaddrs: string[];
  holds: boolean;
}

/**
 * The client call: asks PeerRouting for the best nodes, downloads from several at once
 * (every chunk verified against the root), tells routing about nodes that failed, and
 * signs delivery receipts for the nodes that served — none for a node that sent bad data.
 * The content lands in `store` chunk by chunk (memory stays bounded whatever its size).
 */
export async function fetchContent(cid: string, opts: FetchOptions): Promise<FetchResult> {
  const root = rootOf(cid);
  const nodes = await route(opts, root);
  const holders = nodes.filter((n) => n.holds);
  if (holders.length === 0) throw new Error(`routing knows no live node holding ${root}`);
  const sources = holders.slice(0, opts.maxSources ?? 4).map((n) => toSource(n, opts.sourceFor ?? httpSourceFor));
  try {
    const part = {
      root, sources, store: opts.store, chunkTimeoutMs: opts.chunkTimeoutMs, onProgress: opts.onProgress,
      onDrop: (d: DroppedSource) => void post(opts.routingUrl, "/failed", { nodeId: d.id, content: root }).catch(() => undefined),
    };
    let file: CollectionFile | undefined;
    let window: ByteWindow | undefined = opts.range;
    let result: DownloadResult;
    if (opts.path !== undefined) ({ file, window, result } = await fetchCollectionFile({ ...part, path: opts.path, range: opts.range }));
    else result = await download({ ...part, range: opts.range });
    // what this client measured feeds routing's latency table for its region, signed with
    // its account key (routing counts only escrow holders' reports); without a key, none
    if (opts.signer) {
      const signer = opts.signer;
      for (const [id, ms] of result.chunkMs) {
        void signLatencyReport(signer, id, opts.region, Math.round(ms * 10) / 10, Date.now())
          .then((report) => post(opts.routingUrl, "/latency", report))
          .catch(() => undefined);
      }
    }
    const receipts = opts.signer && opts.epoch ? await sendReceipts(result, sources, opts.signer, await opts.epoch(), opts.beforeReceipts) : [];
    return { root, content: result.content, path: opts.store.dataPath(root), window: window ?? { start: 0, end: result.content.size }, file, complete: result.complete, resumed: result.resumed, servedBy: result.servedBy, dropped: result.dropped, receipts };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** Signed receipts for every node that served, over the connection it served on; none for a node that sent bad data. */
async function sendReceipts(
  result: DownloadResult, sources: readonly ChunkSource[], signer: ReceiptSigner, epoch: bigint,
  beforeReceipts?: (bytesByNode: Map<string, bigint>) => Promise<void>,
): Promise<ReceiptOutcome[]> {
  const bad = new Set(result.dropped.filter((d) => d.reason === "corrupt").map((d) => d.id));
  const signed = new Map<string, Awaited<ReturnType<typeof signDelivery>>>();
  for (const [id, chunks] of result.servedBy) if (!bad.has(id)) signed.set(id, await signDelivery(signer, BigInt(id), epoch, result.content, chunks));
  await beforeReceipts?.(new Map([...signed].map(([id, rs]) => [id, rs.reduce((a, r) => a + r.bytes, 0n)])));
  const out: ReceiptOutcome[] = [];
  for (const [id, receipts] of signed) {
    const source = sources.find((s) => s.id === id)!;
    for (const r of receipts) {
      try {
        await source.sendReceipt(r, AbortSignal.timeout(10_000));
        out.push({ nodeId: id, bytes: r.bytes, delivered: true });
      } catch (err) {
        // never re-sign a higher running total because a node asks for it: the client signs
        // only what it counted itself (a node could otherwise charge it for bytes never sent)
        out.push({ nodeId: id, bytes: r.bytes, delivered: false, error: (err as Error).message });
      }
    }
  }
  return out;
}

async function route(opts: FetchOptions, root: string): Promise<RoutedNode[]> {
  const url = `${opts.routingUrl}/route?content=${root}&region=${encodeURIComponent(opts.region)}&n=${opts.maxSources ?? 4}`;
  let res;
  try {
    res = await request(url);
  } catch (err) {
    throw new Error(`PeerRouting at ${opts.routingUrl} is unreachable: ${(err as Error).message}`);
  }
  const body = (await res.body.json()) as { nodes?: RoutedNode[]; message?: string };
  if (res.statusCode !== 200) throw new Error(`PeerRouting refused: ${body.message ?? res.statusCode}`);
  return body.nodes ?? [];
}

function toSource(n: RoutedNode, sourceFor: SourceFor): ChunkSource {
  const s = sourceFor({ id: BigInt(n.nodeId), peerId: n.peerId, multiaddrs: n.multiaddrs, endpoints: n.httpUrl ? [n.httpUrl] : [] });
  if (!s) throw new Error(`node ${n.nodeId} has no address this client can use`);
  return s;
}

async function post(base: string, path: string, body: unknown): Promise<void> {
  const res = await request(`${base}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await res.body.dump();
}
