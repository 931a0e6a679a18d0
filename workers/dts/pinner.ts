import type { Logger } from "pino";
import type { ChainClient } from "../../node-agent/chain-client.ts";
import type { AroHost } from "../p2p/host.ts";
import type { Blockstore } from "./blockstore.ts";
import { sourcesForNodes } from "./chain-sources.ts";
import { contentCid } from "./cid.ts";
import { download, type DownloadProgress } from "./downloader.ts";

/**
 * Keeps the replicas the chain assigns to this node: fetches any it lacks from the
 * other replica holders (multi-source, verified), and announces every content it holds
 * as a provider record in the DHT. Prefetch hints from PeerRouting use the same path.
 */
export class Pinner {
  private readonly inProgress = new Set<string>();
  private readonly provided = new Set<string>();

  constructor(
    private readonly chain: ChainClient,
    private readonly host: AroHost,
    private readonly store: Blockstore,
    private readonly nodeId: bigint,
    private readonly log: Logger,
    private readonly hooks: { onFetched?(root: string, reason: string): void; onProgress?(p: DownloadProgress): void } = {},
  ) {}

  /** Once per block: fetch missing assigned replicas, announce held contents. */
  async tick(): Promise<void> {
    const { contents } = await this.chain.q.aro.market.NodeReplicas({ nodeId: this.nodeId });
    for (const c of contents) {
      if (!this.store.has(c.root)) this.fetchInBackground(c.root, c.replicas.filter((id) => id !== this.nodeId), "replica");
    }
    for (const root of this.store.list()) {
      if (this.provided.has(root)) continue;
      this.provided.add(root);
      this.host.contentRouting.provide(contentCid(root)).catch((err) => {
        this.provided.delete(root);
        this.log.debug({ root, err: (err as Error).message }, "DHT provide failed (retried next block)");
      });
    }
  }

  /** Starts fetching `root` from the given nodes unless it is here or already coming. */
  fetchInBackground(root: string, fromNodes: readonly bigint[], reason: string): void {
    if (this.store.has(root) || this.inProgress.has(root) || fromNodes.length === 0) return;
    this.inProgress.add(root);
    this.fetch(root, fromNodes)
      .then(() => {
        this.hooks.onFetched?.(root, reason);
        this.log.info({ root, reason }, "content fetched and verified");
      })
      .catch((err) => this.log.warn({ root, reason, err: (err as Error).message }, "content fetch failed (resumes next block)"))
      .finally(() => this.inProgress.delete(root));
  }

  private async fetch(root: string, fromNodes: readonly bigint[]): Promise<void> {
    const sources = await sourcesForNodes(this.chain.q, fromNodes, this.host);
    try {
      let last = 0;
      await download({
        root, sources, store: this.store,
        onProgress: (p) => {
          this.hooks.onProgress?.(p);
          if (p.chunksDone === p.chunksTotal || p.chunksDone - last >= Math.max(1, Math.floor(p.chunksTotal / 10))) {
            last = p.chunksDone;
            this.log.info({ root, chunks: `${p.chunksDone}/${p.chunksTotal}`, bytes: `${p.bytesDone}/${p.bytesTotal}` }, "fetching");
          }
        },
        onDrop: (d) => this.log.warn({ root, source: d.id, reason: d.reason, detail: d.detail }, "dropped a source"),
      });
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  }
}
