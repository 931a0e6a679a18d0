import { watcherProber } from "../../workers/watcher/prober.ts";
import type { AgentWiring } from "./block-duty.ts";
import { ensureWatcher } from "./watcher-registration.ts";

/** Watcher mode: registers the operator as a watcher (once) and probes nodes every block. */
export async function startWatcherDuty(w: AgentWiring): Promise<void> {
  await ensureWatcher(w.chain, w.cfg, w.log);
  const { params } = await w.chain.q.aro.watcher.Params({});
  const prober = watcherProber({
    windows: { ...w.windows, attestWindow: BigInt(params!.attestWindow) },
    probesPerEpoch: w.cfg.watcher.probesPerEpoch,
    onProbe: (r) => w.metrics.probes.inc({ result: r.answered ? (r.chunk ?? "answered") : "unanswered" }),
  })({ chain: w.chain, db: w.db, host: w.host, log: w.log.child({ worker: "watcher" }) });
  w.duties.push({ name: "watcher", tick: (h) => prober.tick(h) });
}
