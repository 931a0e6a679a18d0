/** At most this many multiaddrs go on chain for a node. */
const MAX_ADDRS = 8;

/**
 * The multiaddrs a node registers: the configured `p2p.announce` if any, else what the
 * host announces now (without its own /p2p/<id> suffix), deduplicated and sorted so the
 * same set always compares equal.
 */
export function addressesToRegister(announce: readonly string[], hostAddrs: readonly string[], peerId: string): string[] {
  if (announce.length > 0) return [...announce];
  const self = `/p2p/${peerId}`;
  const own = hostAddrs.map((a) => (a.endsWith(self) ? a.slice(0, -self.length) : a));
  return [...new Set(own)].sort().slice(0, MAX_ADDRS);
}

/**
 * Keeps the node's on-chain multiaddrs in step with its host: an address AutoNAT confirms,
 * or a relay reservation made, after registration is published; one that goes away is
 * withdrawn. Checked every block; at most one update per `minBlocks`, so a flapping
 * address costs a bounded number of txs.
 */
export class AddressSync {
  private lastUpdate: bigint | undefined;

  constructor(
    private registered: string[],
    private readonly current: () => string[],
    private readonly update: (addrs: string[]) => Promise<void>,
    private readonly minBlocks = 10n,
  ) {}

  /** Sends an update if the addresses moved and the last one is old enough; returns the new set if it did. */
  async tick(height: bigint): Promise<string[] | undefined> {
    const now = this.current();
    if (now.length === 0 || sameList(now, this.registered)) return undefined;
    if (this.lastUpdate !== undefined && height - this.lastUpdate < this.minBlocks) return undefined;
    await this.update(now);
    this.registered = now;
    this.lastUpdate = height;
    return now;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
