import { multiaddr } from "@multiformats/multiaddr";
import { request } from "undici";
import type { ReceiptSigner } from "../gpow/receipts.ts";
import type { AroHost } from "../p2p/host.ts";
import type { Blockstore } from "./blockstore.ts";
import { dialAddr } from "./chain-sources.ts";
import { rootOf } from "./cid.ts";
import type { ChunkedContent } from "./content.ts";
import { download, type DownloadProgress, type DroppedSource } from "./downloader.ts";
import { HttpChunkSource } from "./http-source.ts";
import { Libp2pChunkSource } from "./p2p-protocol.ts";
import { signDelivery } from "./receipts.ts";
import type { ChunkSource } from "./source.ts";

export interface FetchOptions {
  /** PeerRouting API that ranks the nodes for this client */
  routingUrl: string;
  region: string;
  /** where chunks land (an interrupted fetch resumes from it) */
  store: Blockstore;
  /** with a host, nodes are reached over libp2p (relays included); without, over HTTP */
  host?: AroHost;
  /** signs delivery receipts for the nodes that served (a paying customer's key) */
  signer?: ReceiptSigner;
  /** the chain's current epoch (receipts are per epoch) */
  epoch?: () => Promise<bigint>;
  maxSources?: number;
  chunkTimeoutMs?: number;
  onProgress?: (p: DownloadProgress) => void;
}

export interface ReceiptOutcome {
  nodeId: string;
  bytes: bigint;
  delivered: boolean;
  error?: string;
}

export interface FetchResult {
  root: string;
  content: ChunkedContent;
  data: Uint8Array;
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
 */
export async function fetchContent(cid: string, opts: FetchOptions): Promise<FetchResult> {
  const root = rootOf(cid);
  const nodes = await route(opts, root);
  const holders = nodes.filter((n) => n.holds);
  if (holders.length === 0) throw new Error(`routing knows no live node holding ${root}`);
  const sources = holders.slice(0, opts.maxSources ?? 4).map((n) => toSource(n, opts.host));
  let result;
  try {
    result = await download({
      root, sources, store: opts.store, chunkTimeoutMs: opts.chunkTimeoutMs, onProgress: opts.onProgress,
      onDrop: (d) => void post(opts.routingUrl, "/failed", { nodeId: d.id }).catch(() => undefined),
    });
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  // what this client measured feeds routing's latency table for its region
  for (const [id, ms] of result.chunkMs) void post(opts.routingUrl, "/latency", { nodeId: id, region: opts.region, ms: Math.round(ms * 10) / 10 }).catch(() => undefined);
  const receipts: ReceiptOutcome[] = [];
  if (opts.signer && opts.epoch) {
    const epoch = await opts.epoch();
    const bad = new Set(result.dropped.filter((d) => d.reason === "corrupt").map((d) => d.id));
    for (const [id, chunks] of result.servedBy) {
      if (bad.has(id)) continue;
      const signed = await signDelivery(opts.signer, BigInt(id), epoch, result.content, chunks);
      const source = toSource(holders.find((n) => n.nodeId === id)!, opts.host);
      for (const r of signed) {
        try {
          await source.sendReceipt(r, AbortSignal.timeout(10_000));
          receipts.push({ nodeId: id, bytes: r.bytes, delivered: true });
        } catch (err) {
          receipts.push({ nodeId: id, bytes: r.bytes, delivered: false, error: (err as Error).message });
        }
      }
      await source.close();
    }
  }
  const data = opts.store.read(root, 0, result.content.size);
  return { root, content: result.content, data, servedBy: result.servedBy, dropped: result.dropped, receipts };
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

function toSource(n: RoutedNode, host?: AroHost): ChunkSource {
  if (host && n.multiaddrs.length > 0) return new Libp2pChunkSource(host, n.multiaddrs.map((a) => multiaddr(dialAddr(a, n.peerId))), n.nodeId, BigInt(n.nodeId));
  if (n.httpUrl) return new HttpChunkSource(n.httpUrl, n.nodeId, BigInt(n.nodeId));
  throw new Error(`node ${n.nodeId} has no address this client can use`);
}

async function post(base: string, path: string, body: unknown): Promise<void> {
  const res = await request(`${base}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await res.body.dump();
}
