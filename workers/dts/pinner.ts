import type { Logger } from "pino";
import type { ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import type { AroHost } from "../p2p/host.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { sourcesForNodes } from "./chain-sources.ts";
import { contentCid } from "../../client/content/cid.ts";
import { download, type DownloadProgress } from "../../client/fetch/downloader.ts";
import { decFromString } from "../../chain/dec.ts";
import { replicaEpochCost } from "../../protocol/storage-term.ts";
import { sweepPartials } from "./partial-sweep.ts";

/** How often (in blocks) unfinished contents that are no longer assigned are removed: a directory listing each time. */
const SWEEP_EVERY_TICKS = 60;

/** Which assigned replicas the node acknowledges (and so answers storage challenges for). */
export interface PinnerEvents {
  onFetched?(root: string, reason: string): void;
  onProgress?(p: DownloadProgress): void;
  onAcked?(contentId: bigint): void;
}

/** Which node pins, what it reports, and which replicas it acks (default: up to 1000, paying at least 1 uaro per epoch). */
export interface PinnerInit {
  readonly nodeId: bigint;
  readonly events?: PinnerEvents;
  readonly policy?: AckPolicy;
}

/** The pinner as a worker factory: `pinner(init)(components)`. */
export const pinner = (init: PinnerInit) => (components: Pick<WorkerComponents, "chain" | "host" | "store" | "log">) => new Pinner(components, init);

export interface AckPolicy {
  /** acked replicas at most */
  maxReplicas: number;
  /** least one epoch of a replica must pay (uaro) */
  minPaymentPerEpoch: bigint;
}

/**
 * Keeps the replicas the chain assigns to this node: fetches any it lacks from the
 * other replica holders (multi-source, verified), and announces every content it holds
 * as a provider record in the DHT. Prefetch hints from PeerRouting use the same path.
 */
export class Pinner {
  private readonly inProgress = new Set<string>();
  private readonly provided = new Set<string>();
  /** Acks sent and not yet seen on chain (the chain's content record is what survives a restart). */
  private readonly acking = new Set<bigint>();
  /** Assigned content last block, by id: one that leaves the list (expired or released) is dropped from the store. */
  private assigned = new Map<bigint, string>();
  /** Blocks seen (partial contents are swept every SWEEP_EVERY_TICKS, the first time at start). */
  private ticks = 0;
  /** Replicas declined by the policy (logged once each; bounded). */
  private readonly declined = new Set<bigint>();

  private readonly chain: ChainClient;
  private readonly host: AroHost;
  private readonly store: Blockstore;
  private readonly log: Logger;
  private readonly nodeId: bigint;
  private readonly hooks: PinnerEvents;
  private readonly policy: AckPolicy;

  constructor(components: Pick<WorkerComponents, "chain" | "host" | "store" | "log">, init: PinnerInit) {
    ({ chain: this.chain, host: this.host, store: this.store, log: this.log } = components);
    this.nodeId = init.nodeId;
    this.hooks = init.events ?? {};
    this.policy = init.policy ?? { maxReplicas: 1000, minPaymentPerEpoch: 1n };
  }

  /**
   * Once per block: fetch missing assigned replicas, ack on chain each one held and
   * verified (once: the chain records the ack, so a restart does not ack again), drop
   * content whose term is over (and, every SWEEP_EVERY_TICKS, unfinished content no
   * longer assigned), announce held contents.
   */
  async tick(): Promise<void> {
    const { contents } = await this.chain.q.aro.market.NodeReplicas({ nodeId: this.nodeId });
    const price = decFromString((await this.chain.q.aro.market.Params({})).params?.prices?.perGbEpochStored ?? "0");
    let acked = contents.filter((c) => c.acks.some((a) => a.nodeId === this.nodeId)).length;
    for (const c of contents) {
      if (c.acks.some((a) => a.nodeId === this.nodeId)) {
        if (!this.store.has(c.root)) this.fetchInBackground(c.root, c.replicas.filter((id) => id !== this.nodeId), "replica");
        continue;
      }
      // an acked replica is challenged every epoch: take only what pays and what the node can prove in time
      const perEpoch = replicaEpochCost(c.size, price);
      if (perEpoch < this.policy.minPaymentPerEpoch || acked >= this.policy.maxReplicas) {
        this.declineOnce(c.id, perEpoch < this.policy.minPaymentPerEpoch ? `pays ${perEpoch}uaro an epoch, under storage.min_payment_per_epoch` : `storage.max_replicas (${this.policy.maxReplicas}) reached`);
        continue;
      }
      if (!this.store.has(c.root)) this.fetchInBackground(c.root, c.replicas.filter((id) => id !== this.nodeId), "replica");
      else {
        this.ack(c.id, c.root);
        acked++;
      }
    }
    const now = new Map(contents.map((c) => [c.id, c.root]));
    for (const [id, root] of this.assigned) if (!now.has(id)) await this.dropIfGone(id, root);
    this.assigned = now;
    if (this.ticks++ % SWEEP_EVERY_TICKS === 0) {
      for (const root of sweepPartials(this.store, new Set(now.values()), this.inProgress)) this.log.info({ root }, "unfinished content no longer assigned: dropped");
    }
    for (const root of this.store.list()) {
      if (this.provided.has(root)) continue;
      this.provided.add(root);
      this.host.contentRouting.provide(contentCid(root)).catch((err) => {
        this.provided.delete(root);
        this.log.debug({ root, err: (err as Error).message }, "DHT provide failed (retried next block)");
      });
    }
  }

  /** Logs once that an assigned replica is not taken (it is never challenged without an ack). */
  private declineOnce(contentId: bigint, why: string): void {
    if (this.declined.has(contentId)) return;
    if (this.declined.size >= 10_000) this.declined.clear();
    this.declined.add(contentId);
    this.log.warn({ content: contentId.toString(), why }, "assigned replica declined: not acked, so never challenged");
  }

  /** MsgAckReplica for a replica held in the store (the blockstore holds only verified content). */
  private ack(contentId: bigint, root: string): void {
    if (this.acking.has(contentId)) return;
    this.acking.add(contentId);
    this.chain.send([{ typeUrl: "/aro.market.v1.MsgAckReplica", value: { operator: this.chain.address, nodeId: this.nodeId, contentId } }])
      .then((r) => {
        if (r.code !== 0) throw new Error(r.rawLog ?? `code ${r.code}`);
        this.hooks.onAcked?.(contentId);
        this.log.info({ content: contentId.toString(), root }, "replica acked on chain");
      })
      .catch((err) => {
        this.log.warn({ content: contentId.toString(), err: (err as Error).message }, "replica ack failed (retried next block)");
        this.acking.delete(contentId);
      });
  }

  /** A content that left this node's replica list: dropped from the store if it expired or the replica was released. */
  private async dropIfGone(id: bigint, root: string): Promise<void> {
    const c = await this.chain.q.aro.market.Content({ contentId: id }).then((r) => r.content).catch(() => undefined);
    if (c && !c.expired && c.replicas.includes(this.nodeId)) return;
    this.acking.delete(id);
    if (this.store.has(root)) {
      this.store.remove(root);
      this.provided.delete(root);
      this.log.info({ content: id.toString(), root }, c?.expired ? "content expired: dropped" : "replica released: dropped");
    }
  }

  /** Starts fetching `root` from the given nodes unless it is here or already coming. */
  fetchInBackground(root: string, fromNodes: readonly bigint[], reason: string): void {
    if (this.store.has(root) || this.inProgress.has(root) || fromNodes.length === 0) return;
    this.inProgress.add(root);
    this.fetch(root, fromNodes)
      .then(() => {
        this.hooks.onFetched?.(root, reason);
        this.log.info({ root, reason }, "content fetched and verified");
      })
      .catch((err) => this.log.warn({ root, reason, err: (err as Error).message }, "content fetch failed (resumes next block)"))
      .finally(() => this.inProgress.delete(root));
  }

  private async fetch(root: string, fromNodes: readonly bigint[]): Promise<void> {
    const sources = await sourcesForNodes(this.chain.q, fromNodes, this.host);
    try {
      let last = 0;
      await download({
        root, sources, store: this.store,
        onProgress: (p) => {
          this.hooks.onProgress?.(p);
          if (p.chunksDone === p.chunksTotal || p.chunksDone - last >= Math.max(1, Math.floor(p.chunksTotal / 10))) {
            last = p.chunksDone;
            this.log.info({ root, chunks: `${p.chunksDone}/${p.chunksTotal}`, bytes: `${p.bytesDone}/${p.bytesTotal}` }, "fetching");
          }
        },
        onDrop: (d) => this.log.warn({ root, source: d.id, reason: d.reason, detail: d.detail }, "dropped a source"),
      });
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  }
}
