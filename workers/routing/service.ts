import { multiaddr } from "@multiformats/multiaddr";
import type { Logger } from "pino";
import type { AroQuery } from "../../node-agent/chain-client.ts";
import type { AroHost } from "../p2p/host.ts";
import { RoutingChainFeed } from "./chain-feed.ts";
import { dialAddr } from "../dts/chain-sources.ts";
import { httpNodeProbe, type NodeProbe } from "./failure-checks.ts";
import { startRoutingHttp } from "./http-api.ts";
import { Router, type RouteAnswer } from "./router.ts";

/** A Router that asks the DHT for providers whenever it knows no holder of a content. */
class DhtBackedRouter extends Router {
  feed?: RoutingChainFeed;

  override route(content: string, region: string, n: number, now: number): RouteAnswer {
    const answer = super.route(content, region, n, now);
    if (!answer.holds) this.feed?.lookupProviders(content);
    return answer;
  }
}

const PROBE_TIMEOUT_MS = 3_000;

/** A reported node is probed over HTTP when it has an endpoint, else pinged over libp2p. */
function agentProbe(host: AroHost | undefined): NodeProbe {
  const overHttp = httpNodeProbe(PROBE_TIMEOUT_MS);
  return async (node, content) => {
    if (node.httpUrl) return overHttp(node, content);
    if (!host || node.multiaddrs.length === 0) return "unverifiable";
    try {
      await host.services.ping.ping(node.multiaddrs.map((a) => multiaddr(dialAddr(a, node.peerId))), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return "alive";
    } catch {
      return "failed";
    }
  };
}

/** PeerRouting as an agent runs it: the HTTP API, fed from the chain and the DHT on every block. */
export async function startRoutingService(o: { q: AroQuery; log: Logger; host?: AroHost; listen: { host: string; port: number }; epochLength: bigint; staleMs: number }) {
  const router = new DhtBackedRouter({ probe: agentProbe(o.host) });
  const feed = new RoutingChainFeed(o.q, router, o.log, { everyBlocks: 3n, staleMs: o.staleMs, epochLength: o.epochLength, host: o.host });
  router.feed = feed;
  const http = await startRoutingHttp(router, { host: o.listen.host, port: o.listen.port });
  return { router, feed, url: http.url, close: () => http.close() };
}
