import { request } from "undici";
import type { Logger } from "pino";
import type { AroHost } from "../p2p/host.ts";
import { pages, type ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import { sourceForNode, sourcesForNodes } from "./chain-sources.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { contentCid, rootOf } from "../../client/content/cid.ts";
import { download } from "../../client/fetch/downloader.ts";
import { Libp2pChunkSource } from "./p2p-chunk-source.ts";
import type { ChunkSource } from "../../client/fetch/source.ts";

/**
 * Finds and fetches a content for the node's own use (job wasm and inputs): from the
 * local store, else from the replica nodes the chain assigned (when the owner is
 * known), else from the nodes PeerRouting names, else from DHT providers.
 */
export class ContentLocator {
  private readonly chain: ChainClient;
  private readonly host: AroHost;
  private readonly store: Blockstore;
  private readonly log: Logger;
  private readonly routingUrl: () => string | undefined;

  constructor(components: Pick<WorkerComponents, "chain" | "host" | "store" | "log">, init: { routingUrl: () => string | undefined }) {
    ({ chain: this.chain, host: this.host, store: this.store, log: this.log } = components);
    this.routingUrl = init.routingUrl;
  }

  async get(cidOrRoot: string, owner?: string): Promise<Uint8Array> {
    const root = rootOf(cidOrRoot);
    if (!this.store.has(root)) {
      const sources = (owner ? await this.replicaSources(root, owner) : []);
      if (sources.length === 0) sources.push(...(await this.sources(root)));
      if (sources.length === 0) throw new Error(`no node is known to hold ${root}`);
      try {
        await download({ root, sources, store: this.store });
      } finally {
        await Promise.all(sources.map((s) => s.close()));
      }
    }
    const m = this.store.manifest(root)!;
    return this.store.read(root, 0, m.size);
  }

  /** The replica holders of a content the chain records for `owner`. */
  private async replicaSources(root: string, owner: string): Promise<ChunkSource[]> {
    for await (const page of pages((pagination) => this.chain.q.aro.market.Contents({ owner, pagination }))) {
      const c = page.contents.find((x) => x.root === root);
      if (c) return sourcesForNodes(this.chain.q, c.replicas, this.host);
    }
    return [];
  }

  private async sources(root: string): Promise<ChunkSource[]> {
    const url = this.routingUrl();
    if (url) {
      try {
        const res = await request(`${url}/route?content=${root}&region=any&n=4`);
        const body = (await res.body.json()) as { nodes?: Array<{ nodeId: string; peerId: string; multiaddrs: string[]; httpUrl?: string; holds: boolean }> };
        const found = (body.nodes ?? []).filter((n) => n.holds && n.peerId !== this.host.peerId.toString())
          .map((n) => sourceForNode({ id: BigInt(n.nodeId), peerId: n.peerId, multiaddrs: n.multiaddrs, endpoints: n.httpUrl ? [n.httpUrl] : [] }, this.host))
          .filter((x): x is ChunkSource => x !== undefined);
        if (found.length) return found;
      } catch (err) {
        this.log.debug({ root, err: (err as Error).message }, "routing did not answer; asking the DHT");
      }
    }
    const out: ChunkSource[] = [];
    for await (const p of this.host.contentRouting.findProviders(contentCid(root), { signal: AbortSignal.timeout(10_000) })) {
      if (p.id.equals(this.host.peerId)) continue;
      out.push(new Libp2pChunkSource(this.host, p.id, p.id.toString()));
      if (out.length >= 4) break;
    }
    return out;
  }
}
