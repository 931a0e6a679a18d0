import type { Logger } from "pino";
import type { AroQuery } from "../runtime/chain-client.ts";
import type { AroHost } from "../p2p/host.ts";
import type { LookupLimitOptions } from "./provider-lookups.ts";
import { RoutingChainFeed } from "./chain-feed.ts";
import { nodeProbe } from "./failure-checks.ts";
import { startRoutingHttp } from "./http-api.ts";
import { Router } from "./router.ts";

/**
 * PeerRouting as an agent runs it: the HTTP API, fed from the chain and the DHT on every
 * block. A /route for a content with no known live holder asks the DHT for providers,
 * within each client's lookup budget and a global bound on lookups in flight
 * (`lookupLimit`, see ProviderLookups in auth.ts).
 */
export async function startRoutingService(o: { q: AroQuery; log: Logger; host?: AroHost; listen: { host: string; port: number }; epochLength: bigint; staleMs: number; lookupLimit?: LookupLimitOptions }) {
  let feed: RoutingChainFeed | undefined;
  const router = new Router({
    probe: nodeProbe({ timeoutMs: 3_000, host: o.host }),
    providerLookup: o.host ? (content) => feed!.lookupProviders(content) : undefined,
    lookupLimit: o.lookupLimit,
  });
  feed = new RoutingChainFeed(o.q, router, o.log, { everyBlocks: 3n, staleMs: o.staleMs, epochLength: o.epochLength, host: o.host });
  // latency reports count only from accounts holding an escrow (answers cached by the HTTP layer)
  const hasEscrow = async (owner: string): Promise<boolean> => {
    try {
      const e = (await o.q.aro.market.Escrow({ owner })).escrow;
      return e !== undefined && BigInt(e.balance || "0") + BigInt(e.held || "0") > 0n;
    } catch (err) {
      if (/not found|no escrow/i.test((err as Error).message)) return false;
      throw err;
    }
  };
  const http = await startRoutingHttp(router, { host: o.listen.host, port: o.listen.port, hasEscrow });
  return { router, feed, url: http.url, close: () => http.close() };
}
