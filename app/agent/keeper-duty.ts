import { keeperProber } from "../../workers/keeper/prober.ts";
import type { AgentWiring } from "./block-duty.ts";
import { ensureKeeper } from "./keeper-registration.ts";

/** Keeper mode: registers the operator as a keeper (once) and probes nodes every block. */
export async function startKeeperDuty(w: AgentWiring): Promise<void> {
  await ensureKeeper(w.chain, w.cfg, w.log);
  const { params } = await w.chain.q.aro.keeper.Params({});
  const prober = keeperProber({
    windows: { ...w.windows, attestWindow: BigInt(params!.attestWindow) },
    probesPerEpoch: w.cfg.keeper.probesPerEpoch,
    onProbe: (r) => w.metrics.probes.inc({ result: r.answered ? (r.chunk ?? "answered") : "unanswered" }),
  })({ chain: w.chain, db: w.db, host: w.host, log: w.log.child({ worker: "keeper" }) });
  w.duties.push({ name: "keeper", tick: (h) => prober.tick(h) });
}
