import { startRoutingService } from "../../workers/routing/service.ts";
import type { AgentWiring } from "./block-duty.ts";
import { splitHostPort } from "./metrics.ts";

/** The PeerRouting API this agent serves, fed every block; returns its URL. */
export async function startRoutingDuty(w: AgentWiring): Promise<string> {
  const [host, port] = splitHostPort(w.cfg.routing.listen);
  const routing = await startRoutingService({
    q: w.chain.q, log: w.log.child({ worker: "routing" }), host: w.host, listen: { host, port: Number(port) },
    epochLength: w.windows.epochLength, staleMs: w.cfg.routing.reportEverySeconds * 3000,
  });
  w.closers.unshift(() => routing.close());
  w.duties.push({ name: "routing", tick: (h) => routing.feed.tick(h) });
  return routing.url;
}
