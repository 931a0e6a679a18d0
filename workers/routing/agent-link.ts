import { request } from "undici";
import type { Logger } from "pino";
import { signLoadReport } from "./load-report.ts";

export interface LinkedNode {
  nodeId: bigint;
  /** Signs with the node's libp2p key (the peer id it registered on chain): routing believes only signed load reports. */
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
  /** 0..1 */
  load(): number;
  /** contents the chain assigns to this node (never evicted on routing's word) */
  assigned(): Promise<Set<string>>;
  prefetch(root: string, fromNodes: bigint[]): void;
  evict(root: string): void;
}

/**
 * The node's side of PeerRouting: reports its load every few seconds (which also tells
 * routing it is alive) and follows the placement hints — prefetch contents about to
 * get hot in its region, drop the ones routing no longer places here.
 */
export class RoutingLink {
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Counter of the last load report: the clock in ms, kept strictly increasing. */
  private seq = 0;

  constructor(private readonly url: string, private readonly node: LinkedNode, private readonly everyMs: number, private readonly log: Logger) {}

  start(): void {
    this.timer = setInterval(() => void this.once(), this.everyMs);
    void this.once();
  }

  async once(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const id = this.node.nodeId.toString();
    try {
      this.seq = Math.max(Date.now(), this.seq + 1);
      const report = await signLoadReport((m) => this.node.sign(m), id, this.node.load(), this.seq);
      await json(`${this.url}/report`, { method: "POST", body: JSON.stringify(report), headers: { "content-type": "application/json" } });
      const hints = (await json(`${this.url}/prefetch?node=${id}`)) as { prefetch: string[]; evict: string[] };
      for (const root of hints.prefetch) {
        const answer = (await json(`${this.url}/route?content=${root}&region=any&n=8`)) as { nodes: Array<{ nodeId: string; holds: boolean }> };
        const from = answer.nodes.filter((n) => n.holds && n.nodeId !== id).map((n) => BigInt(n.nodeId));
        this.log.info({ root, from: from.map(String) }, "prefetching content routing expects to get hot");
        this.node.prefetch(root, from);
      }
      if (hints.evict.length) {
        const keep = await this.node.assigned();
        for (const root of hints.evict) if (!keep.has(root)) this.node.evict(root);
      }
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, "routing link: no answer this round");
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function json(url: string, init?: Parameters<typeof request>[1]): Promise<unknown> {
  const res = await request(url, init);
  const body = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${JSON.stringify(body)}`);
  return body;
}
