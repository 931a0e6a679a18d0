import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import type { AroHost } from "./host.ts";

/** The part of libp2p's internal transport manager this needs (the relay transport itself listens this way). */
interface TransportManager {
  listen(addrs: Multiaddr[]): Promise<void>;
}

export interface RelayAttempt {
  relay: string;
  ok: boolean;
  error?: string;
}

/**
 * Holds a circuit relay v2 reservation on each relay the operator configured
 * (`p2p.relay_via`). js-libp2p re-reserves only relays it discovered itself: a configured
 * relay whose reservation drops (the relay restarted, the link blipped) is never asked
 * again, and a node behind NAT silently becomes unreachable. Each tick asks every
 * configured relay the host holds no circuit through, at most once per `retryMs` each;
 * a relay that is down at start is not fatal either.
 */
export class RelayReservations {
  private readonly nextTry = new Map<string, number>();
  private readonly relays: Array<{ addr: string; peerId: string }>;

  constructor(
    private readonly host: AroHost,
    relays: readonly string[],
    private readonly opts: { retryMs?: number; now?: () => number } = {},
  ) {
    this.relays = relays.map((r) => {
      const addr = r.replace(/\/p2p-circuit$/, "");
      const peerId = multiaddr(addr).getComponents().filter((c) => c.name === "p2p").pop()?.value;
      if (!peerId) throw new Error(`relay ${r} must end in /p2p/<relay peer id>`);
      return { addr, peerId };
    });
  }

  /** Configured relays the host has no circuit address through right now. */
  missing(): string[] {
    const circuits = this.host.getMultiaddrs().map(String).filter((a) => a.includes("/p2p-circuit"));
    return this.relays.filter((r) => !circuits.some((c) => c.includes(`/p2p/${r.peerId}/p2p-circuit`))).map((r) => r.addr);
  }

  /** Asks each missing relay (whose retry time has come) for a reservation; what was tried and how it went. */
  async tick(): Promise<RelayAttempt[]> {
    const now = this.opts.now ?? Date.now;
    const transports = (this.host as unknown as { components: { transportManager: TransportManager } }).components.transportManager;
    const attempts: RelayAttempt[] = [];
    for (const relay of this.missing()) {
      if ((this.nextTry.get(relay) ?? 0) > now()) continue;
      this.nextTry.set(relay, now() + (this.opts.retryMs ?? 10_000));
      try {
        await transports.listen([multiaddr(`${relay}/p2p-circuit`)]);
        attempts.push({ relay, ok: true });
      } catch (err) {
        attempts.push({ relay, ok: false, error: (err as Error).message });
      }
    }
    return attempts;
  }
}
