import { probeHttp, probeLibp2p } from "../dts/probe.ts";
import type { AroHost } from "../p2p/host.ts";
import type { NodeRecord } from "./node-record.ts";
import type { NodeTable } from "./node-table.ts";

/** What a probe says of a node a client reported: it failed the probe, passed it, or cannot be probed from here. */
export type ProbeVerdict = "failed" | "alive" | "unverifiable";

/** Probes one node; `content` is the content the client was fetching from it, when it said. */
export type NodeProbe = (node: NodeRecord, content: string | undefined) => Promise<ProbeVerdict>;

/** What routing did with a failure report. */
export type FailureOutcome = "unknown-node" | "already-down" | "excluded" | "alive" | "recently-alive" | "unverifiable";

export interface FailureCheckOptions {
  /** After a node passed a probe, reports about it within this time are not probed again. */
  recheckMs?: number;
}

/**
 * Probes a node the way watchers do (workers/watcher/prober.ts): over its HTTP endpoint (a
 * nonce signed with its registered peer id's key, or /health if it registered none, then
 * a random chunk of the reported content checked against its root) and, when it has no
 * endpoint or the endpoint does not answer, over libp2p through its registered multiaddrs
 * — directly or through a relay circuit, limited or not — with the same signed nonce and
 * chunk check (probeLibp2p, on the small /aro/dts-probe protocol). A node behind NAT that
 * only a relay reaches is therefore alive when it answers there. Unverifiable only when
 * there is nothing to probe it over from here.
 */
export function nodeProbe(o: { timeoutMs: number; host?: AroHost }): NodeProbe {
  return async (node, content) => {
    const viaLibp2p = o.host !== undefined && node.multiaddrs.length > 0;
    if (node.httpUrl) {
      const r = await probeHttp(node.httpUrl, content, { timeoutMs: o.timeoutMs, peerId: node.peerId || undefined });
      // it answered: its data decides (as for watchers, an answering endpoint is the reach)
      if (r.answered) return r.chunk !== "failed" ? "alive" : "failed";
      if (!viaLibp2p) return "failed";
    } else if (!viaLibp2p) return "unverifiable";
    const r = await probeLibp2p(o.host!, node, content, { timeoutMs: o.timeoutMs });
    return r.answered && r.chunk !== "failed" ? "alive" : "failed";
  };
}

/**
 * Clients' failure reports are not taken on trust: anyone can post one, and a node left
 * out of answers loses its traffic. Routing probes the node first (once at a time per
 * node, and not again soon after it passed) and leaves it out only if the probe fails.
 */
export class FailureChecks {
  private readonly inFlight = new Map<string, Promise<FailureOutcome>>();
  private readonly passedAt = new Map<string, number>();
  private readonly recheckMs: number;

  constructor(
    private readonly table: NodeTable,
    private readonly probe: NodeProbe,
    opts: FailureCheckOptions = {},
  ) {
    this.recheckMs = opts.recheckMs ?? 10_000;
  }

  report(nodeId: string, content: string | undefined, now: () => number): Promise<FailureOutcome> {
    const node = this.table.nodes.get(nodeId);
    if (!node) return Promise.resolve("unknown-node");
    if (node.down) return Promise.resolve("already-down");
    const passed = this.passedAt.get(nodeId);
    if (passed !== undefined && now() - passed < this.recheckMs) return Promise.resolve("recently-alive");
    const running = this.inFlight.get(nodeId);
    if (running) return running;
    const check = this.check(node, content, now).finally(() => this.inFlight.delete(nodeId));
    this.inFlight.set(nodeId, check);
    return check;
  }

  private async check(node: NodeRecord, content: string | undefined, now: () => number): Promise<FailureOutcome> {
    const verdict = await this.probe(node, content).catch((): ProbeVerdict => "failed");
    if (!this.table.nodes.has(node.nodeId)) return "unknown-node";
    if (verdict === "failed") {
      this.passedAt.delete(node.nodeId);
      this.table.markFailed(node.nodeId, now());
      return "excluded";
    }
    if (verdict === "alive") {
      this.passedAt.set(node.nodeId, now());
      return "alive";
    }
    return "unverifiable";
  }

  forget(nodeId: string): void {
    this.passedAt.delete(nodeId);
  }
}
