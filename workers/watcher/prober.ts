import type { Logger } from "pino";
import type { ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import { pad, type AgentDb } from "../runtime/state-db.ts";
import { Reach, type NodeReport } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { probeHttp, probeLibp2p, type ProbeResult } from "../dts/probe.ts";
import type { AroHost } from "../p2p/host.ts";
import { epochEnd, epochOf, epochStart, type Windows } from "../gpow/windows.ts";

interface EpochProbes {
  /** node id → planned probe heights */
  plan: Record<string, string[]>;
  results: Record<string, ProbeResult[]>;
  attested: boolean;
}

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Watcher mode: probes each node the chain assigns to this watcher at random heights of
 * the epoch — a small task (sign a fresh nonce with the key of the peer id it registered,
 * timed) and, when the node holds
 * replicas, a random chunk of one, checked against the content root the chain records —
 * then attests uptime, latency, chunk checks and how it reached the node once the epoch
 * is over. A node is probed over HTTP (its first endpoint) and, when it has none or HTTP
 * fails, over libp2p through its multiaddrs — directly or through a relay circuit — the
 * way clients reach it, so a node behind NAT is measured too.
 */
/** The chain's windows (with the attestation window), how many probes per node and epoch, a probe callback. */
export interface ProberInit {
  readonly windows: Windows & { attestWindow: bigint };
  readonly probesPerEpoch: number;
  readonly onProbe?: (r: ProbeResult) => void;
}

/** The watcher's prober as a worker factory: `watcherProber(init)(components)`. */
export const watcherProber = (init: ProberInit) => (components: Pick<WorkerComponents, "chain" | "db" | "log"> & { host?: AroHost }) => new WatcherProber(components, init);

export class WatcherProber {
  private readonly chain: ChainClient;
  private readonly db: AgentDb;
  private readonly log: Logger;
  /** the watcher's libp2p host, to probe nodes over libp2p */
  private readonly host?: AroHost;
  private readonly windows: Windows & { attestWindow: bigint };
  private readonly probesPerEpoch: number;
  private readonly onProbe?: (r: ProbeResult) => void;

  constructor(components: Pick<WorkerComponents, "chain" | "db" | "log"> & { host?: AroHost }, init: ProberInit) {
    ({ chain: this.chain, db: this.db, log: this.log, host: this.host } = components);
    ({ windows: this.windows, probesPerEpoch: this.probesPerEpoch, onProbe: this.onProbe } = init);
  }

  private key = (epoch: bigint) => `watcher/${pad(epoch)}`;

  async tick(height: bigint): Promise<void> {
    const epoch = epochOf(this.windows, height);
    const state = await this.planned(epoch);
    let probed = false;
    for (const [nodeId, heights] of Object.entries(state.plan)) {
      const dueCount = heights.filter((h) => BigInt(h) <= height).length;
      for (let i = state.results[nodeId]?.length ?? 0; i < dueCount; i++) {
        const r = await this.probe(BigInt(nodeId));
        if (r.failure) this.log.warn({ nodeId, failure: r.failure }, "probed node did not answer");
        (state.results[nodeId] ??= []).push(r);
        this.onProbe?.(r);
        probed = true;
      }
    }
    if (probed) await this.db.putJson(this.db.meta, this.key(epoch), state);
    if (epoch > 0n) await this.attest(epoch - 1n, height);
  }

  /** The epoch's probe plan: assignments from the chain, heights drawn at random. */
  private async planned(epoch: bigint): Promise<EpochProbes> {
    const saved = await this.db.getJson<EpochProbes>(this.db.meta, this.key(epoch));
    if (saved) return saved;
    const { nodeIds } = await this.chain.q.aro.watcher.Assignments({ watcher: this.chain.address, epoch });
    const start = epochStart(this.windows, epoch);
    const span = Number(this.windows.epochLength) - 1;
    const plan: Record<string, string[]> = {};
    for (const id of nodeIds) {
      plan[id.toString()] = Array.from({ length: this.probesPerEpoch }, () => start + BigInt(Math.floor(Math.random() * span))).sort((a, b) => (a < b ? -1 : 1)).map(String);
    }
    const state = { plan, results: {}, attested: false };
    await this.db.putJson(this.db.meta, this.key(epoch), state);
    return state;
  }

  async probe(nodeId: bigint): Promise<ProbeResult> {
    const node = (await this.chain.q.aro.peernode.Node({ nodeId }).catch(() => undefined))?.node;
    if (!node) return { answered: false, latencyMs: 0, failure: "node not found on chain" };
    const { contents } = await this.chain.q.aro.market.NodeReplicas({ nodeId });
    const root = contents.length > 0 ? contents[Math.floor(Math.random() * contents.length)].root : undefined;
    const url = node.endpoints[0];
    let http: ProbeResult | undefined;
    if (url) {
      http = await probeHttp(url, root, { timeoutMs: PROBE_TIMEOUT_MS, peerId: node.peerId });
      // an HTTP endpoint answering is a direct reach
      if (http.answered) return { ...http, reach: "direct" };
    }
    if (this.host && node.multiaddrs.length > 0) {
      const p2p = await probeLibp2p(this.host, node, root, { timeoutMs: PROBE_TIMEOUT_MS });
      if (p2p.answered || !http) return p2p;
      return { ...http, failure: `${http.failure}; ${p2p.failure}` };
    }
    return http ?? { answered: false, latencyMs: 0, failure: "no HTTP endpoint, and no multiaddrs or libp2p host to probe it over" };
  }

  private async attest(epoch: bigint, height: bigint): Promise<void> {
    const end = epochEnd(this.windows, epoch);
    if (height <= end || height > end + this.windows.attestWindow) return;
    const state = await this.db.getJson<EpochProbes>(this.db.meta, this.key(epoch));
    if (!state || state.attested || Object.keys(state.plan).length === 0) return;
    const reports: NodeReport[] = Object.keys(state.plan).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).map((id) => summarise(BigInt(id), state.results[id] ?? [], state.plan[id].length));
    const already = await this.chain.q.aro.watcher.Reports({ nodeId: reports[0].nodeId, epoch }).catch(() => undefined);
    if (!already?.reports.some((r) => r.watcher === this.chain.address)) {
      await this.chain.send([{ typeUrl: "/aro.watcher.v1.MsgSubmitAttestations", value: { watcher: this.chain.address, epoch, reports } }]);
      this.log.info({ epoch: epoch.toString(), nodes: reports.length }, "attestations submitted");
    }
    await this.db.putJson(this.db.meta, this.key(epoch), { ...state, attested: true });
  }
}

/**
 * A node's report from its probes: planned probes not run (the watcher was down) count as
 * unanswered. Reach: direct if any probe reached it directly, else relayed if any answered
 * through a relay, else unreachable if probes ran and none answered; unspecified when no
 * probe ran, or the answers do not say (results saved before reach was recorded).
 */
export function summarise(nodeId: bigint, results: readonly ProbeResult[], planned: number): NodeReport {
  const answered = results.filter((r) => r.answered);
  const latencies = answered.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    nodeId,
    uptimePermille: planned === 0 ? 0 : Math.round((answered.length * 1000) / Math.max(planned, results.length)),
    latencyMs: latencies.length ? latencies[Math.floor(latencies.length / 2)] : 0,
    chunksPassed: results.filter((r) => r.chunk === "passed").length,
    chunksFailed: results.filter((r) => r.chunk === "failed").length,
    reach: answered.some((r) => r.reach === "direct") ? Reach.REACH_DIRECT
      : answered.some((r) => r.reach === "relayed") ? Reach.REACH_RELAYED
      : answered.length === 0 && results.length > 0 ? Reach.REACH_UNREACHABLE : Reach.REACH_UNSPECIFIED,
  };
}
