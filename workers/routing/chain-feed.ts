import type { Logger } from "pino";
import { pages, type AroQuery } from "../runtime/chain-client.ts";
import { NodeStatus } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { AroHost } from "../p2p/host.ts";
import { contentCid } from "../../client/content/cid.ts";
import type { Router } from "./router.ts";

/**
 * Feeds PeerRouting from the chain and the DHT: active nodes with their addresses and
 * on-chain uptime (watchers' reports of the last settled epoch), replica assignments,
 * and DHT provider records for contents no assigned node serves. A node that stopped
 * reporting its load is taken out of answers until it reports again.
 */
export class RoutingChainFeed {
  private lastRefresh = -1n;
  private readonly uptimeEpoch = new Map<string, bigint>();
  private readonly lookingUp = new Set<string>();

  constructor(
    private readonly q: AroQuery,
    private readonly router: Router,
    private readonly log: Logger,
    private readonly o: { everyBlocks: bigint; staleMs: number; epochLength: bigint; host?: AroHost },
  ) {}

  async tick(height: bigint): Promise<void> {
    const now = Date.now();
    for (const n of [...this.router.table.nodes.values()]) {
      if (!n.down && n.lastSeen > 0 && now - n.lastSeen > this.o.staleMs) {
        this.router.table.markFailed(n.nodeId, now);
        this.log.info({ nodeId: n.nodeId }, "node stopped reporting: routed around");
      }
    }
    // placements handed out are confirmed by the node's DHT provider record
    for (const [nodeId, contents] of this.router.demand.placement.byNode) {
      for (const content of contents.keys()) if (!this.router.table.holds(content, nodeId)) void this.lookupProviders(content);
    }
    if (this.lastRefresh >= 0n && height - this.lastRefresh < this.o.everyBlocks) return;
    this.lastRefresh = height;
    const settled = height / this.o.epochLength - 1n;
    const seen = new Set<string>();
    for await (const page of pages((pagination) => this.q.aro.peernode.Nodes({ owner: "", region: "", service: 0, status: NodeStatus.NODE_STATUS_ACTIVE, pagination }), 500n)) {
      for (const n of page.nodes) {
        const id = n.id.toString();
        seen.add(id);
        this.router.table.upsertNode({ nodeId: id, peerId: n.peerId, region: n.region, httpUrl: n.endpoints[0], multiaddrs: n.multiaddrs });
        if (settled >= 0n && this.uptimeEpoch.get(id) !== settled) {
          this.uptimeEpoch.set(id, settled);
          const rec = (await this.q.aro.settlement.Explain({ nodeId: n.id, epoch: settled }).catch(() => undefined))?.record;
          if (rec && rec.reports > 0) this.router.table.upsertNode({ nodeId: id, peerId: n.peerId, region: n.region, chainScore: rec.uptimePermille / 1000 });
        }
      }
    }
    for (const n of [...this.router.table.nodes.values()]) if (!seen.has(n.nodeId)) this.router.removeNode(n.nodeId);
    for await (const page of pages((pagination) => this.q.aro.market.Contents({ owner: "", pagination }), 500n)) {
      for (const c of page.contents) for (const r of c.replicas) this.router.table.addHolder(c.root, r.toString(), "chain");
    }
  }

  /**
   * Looks a content up in the DHT (once at a time) and records the providers that are
   * known nodes; settles when the lookup has ended (it never rejects). Clients' /route
   * requests reach this only through the Router's ProviderLookups limits.
   */
  lookupProviders(root: string): Promise<void> {
    const host = this.o.host;
    if (!host || this.lookingUp.has(root)) return Promise.resolve();
    this.lookingUp.add(root);
    return (async () => {
      try {
        for await (const p of host.contentRouting.findProviders(contentCid(root), { signal: AbortSignal.timeout(10_000) })) {
          const node = [...this.router.table.nodes.values()].find((n) => n.peerId === p.id.toString());
          if (node) this.router.table.addHolder(root, node.nodeId, "dht");
        }
      } catch (err) {
        this.log.debug({ root, err: (err as Error).message }, "DHT provider lookup ended");
      } finally {
        this.lookingUp.delete(root);
      }
    })();
  }
}
