import { RelayReservations } from "../../workers/p2p/relay-reservations.ts";
import type { AgentWiring } from "./block-duty.ts";

/** Reservations on the configured relays: asked for before registration, and again whenever one is lost. */
export async function startRelayDuty(w: AgentWiring): Promise<void> {
  const relays = new RelayReservations(w.host, w.cfg.p2p.relayVia);
  const log = w.log.child({ worker: "p2p" });
  const tick = async () => {
    for (const a of await relays.tick()) {
      if (a.ok) log.info({ relay: a.relay }, "relay reservation held");
      else log.warn({ relay: a.relay, err: a.error }, "relay reservation failed (retried in 10 s)");
    }
  };
  await tick();
  w.duties.push({ name: "relays", tick });
}
