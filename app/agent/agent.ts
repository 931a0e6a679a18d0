import fs from "node:fs";
import { pino, type Logger } from "pino";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { parseCoins } from "../../chain/coins.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import type { DtsFaults } from "../../workers/dts/service.ts";
import type { Windows } from "../../workers/gpow/prover.ts";
import { identityFromKey, type NodeIdentity } from "../../workers/dts/challenge.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { loadOrCreatePeerKey } from "../../workers/p2p/peer-key.ts";
import type { BondWatch } from "./bond-watch.ts";
import { ChainClient } from "../../workers/runtime/chain-client.ts";
import type { AgentWiring, BlockDuty, Closer } from "./block-duty.ts";
import { loadConfig, type AgentConfig } from "./config.ts";
import { agentPaths } from "./home.ts";
import { startWatcherDuty } from "./watcher-duty.ts";
import { AgentMetrics, startMetricsHttp } from "./metrics.ts";
import { startNodeDuties } from "./node-duties.ts";
import { startRelayDuty } from "./relay-duty.ts";
import { startRoutingDuty } from "./routing-duty.ts";
import { AgentDb } from "../../workers/runtime/state-db.ts";

export type { BlockDuty };

export interface AgentOptions {
  home: string;
  /** keyring password for the file backend */
  password?: () => Promise<string>;
  /** fault injection (local testnet, tests): see DtsFaults */
  faults?: DtsFaults;
  /** overrides of the config file */
  config?: (c: AgentConfig) => void;
}

/**
 * aro-agent: the PeerNode daemon. Connects to the chain and runs the libp2p host, then
 * what the config asks for: the node (registered with its bond; PeerDTS over HTTP and
 * libp2p, replica pinning, the GPoW prover, PeerHVM jobs), watcher mode, a PeerRouting
 * API. Exposes /metrics, /health and /status; every duty runs once per new block.
 */
export class Agent {
  private stopped = false;
  private lastHeight = 0n;
  private lastBlockAt = Date.now();
  private loop?: Promise<void>;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closers: Closer[] = [];
  readonly duties: BlockDuty[] = [];
  nodeId?: bigint;
  bond?: BondWatch;
  dtsUrl?: string;
  routingUrl?: string;
  metricsUrl = "";

  private constructor(
    readonly cfg: AgentConfig,
    readonly log: Logger,
    readonly db: AgentDb,
    readonly store: Blockstore,
    readonly chain: ChainClient,
    readonly host: AroHost,
    /** signs watchers' and routing's challenges as the peer id registered on chain */
    private readonly identity: NodeIdentity,
    readonly metrics: AgentMetrics,
    readonly windows: Windows,
  ) {}

  private runFile = "";

  static async start(o: AgentOptions): Promise<Agent> {
    const paths = agentPaths(o.home);
    const cfg = loadConfig(paths.config);
    o.config?.(cfg);
    const log = pino({ level: cfg.log.level, base: { service: "aro-agent" } });
    fs.mkdirSync(paths.blocks, { recursive: true });
    const db = await AgentDb.open(paths.db);
    const closers: Closer[] = [() => db.close()];
    try {
      const wallet = await new Keyring(o.home, cfg.keyringBackend, o.password).wallet(cfg.keyName);
      const low = parseCoins(cfg.fees.lowBalance)[0];
      const metrics = new AgentMetrics();
      const chain = await ChainClient.connect({
        rpc: cfg.chainRpc, signer: wallet, chainId: cfg.chainId || undefined, gasPrice: cfg.fees.gasPrice, gasAdjustment: cfg.fees.gasAdjustment,
        lowBalance: low?.amount ?? 0n, denom: low?.denom ?? "uaro", log,
        observe: { tx: (typeUrl, seconds) => metrics.txLatency.observe({ msg: typeUrl.split(".").pop()! }, seconds), balance: (b) => metrics.balance.set(Number(b)) },
      });
      closers.push(async () => chain.disconnect());
      const peerKey = await loadOrCreatePeerKey(paths.peerKey);
      const host = await createAroHost({
        privateKey: peerKey, listen: cfg.p2p.listen, bootstrap: cfg.p2p.bootstrap,
        relayServer: cfg.p2p.relayServer, announce: cfg.p2p.announce.length ? cfg.p2p.announce : undefined,
      });
      closers.push(async () => host.stop());
      const [settlement, gpow] = await Promise.all([chain.q.aro.settlement.Params({}), chain.q.aro.gpow.Params({})]);
      const windows = { epochLength: BigInt(settlement.params!.epochLength), claimWindow: BigInt(gpow.params!.claimWindow), proofWindow: BigInt(gpow.params!.proofWindow) };
      const agent = new Agent(cfg, log, db, new Blockstore(paths.blocks, { chunkCacheBytes: cfg.storage.chunkCacheMib * 1024 * 1024 }), chain, host, identityFromKey(peerKey, host.peerId.toString()), metrics, windows);
      agent.closers.push(...closers.reverse());
      closers.length = 0;
      try {
        if (cfg.p2p.relayVia.length > 0) await agent.startRelays();
        if (cfg.routing.serve) await agent.startRouting();
        if (cfg.node.services.length > 0) await agent.startNode(o.faults);
        if (cfg.watcher.enabled) await agent.startWatcher();
        const m = await startMetricsHttp(agent.metrics, agent, cfg.http.metricsListen);
        agent.metricsUrl = m.url;
        agent.closers.unshift(() => m.close());
      } catch (err) {
        await agent.stop();
        throw err;
      }
      agent.loop = agent.run();
      agent.runFile = paths.run;
      fs.writeFileSync(paths.run, JSON.stringify({
        pid: process.pid, nodeId: agent.nodeId?.toString(), metricsUrl: agent.metricsUrl, dtsUrl: agent.dtsUrl, routingUrl: agent.routingUrl,
        multiaddrs: host.getMultiaddrs().map(String),
      }, null, 2) + "\n");
      return agent;
    } catch (err) {
      for (const f of closers.reverse()) await f().catch(() => undefined);
      throw err;
    }
  }


  /** What the starters below wire into: this agent's components, duties and closers. */
  private wiring(): AgentWiring {
    const { cfg, log, db, store, chain, host, identity, metrics, windows, duties, closers } = this;
    return { cfg, log, db, store, chain, host, identity, metrics, windows, duties, closers };
  }

  private async startRelays(): Promise<void> {
    await startRelayDuty(this.wiring());
  }

  private async startNode(faults?: DtsFaults): Promise<void> {
    await startNodeDuties(this.wiring(), this, faults);
  }

  private async startWatcher(): Promise<void> {
    await startWatcherDuty(this.wiring());
  }

  private async startRouting(): Promise<void> {
    this.routingUrl = await startRoutingDuty(this.wiring());
  }

  /** Follows the chain block by block and runs every duty on each new height. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const h = await this.chain.height();
        if (h > this.lastHeight) {
          this.lastHeight = h;
          this.lastBlockAt = Date.now();
          this.metrics.height.set(Number(h));
          this.metrics.peers.set(this.host.getPeers().length);
          this.metrics.pinned.set(this.store.list().length);
          // duties run side by side (a prover waiting for its txs must not hold up a job's reveal);
          // each duty's own ticks never overlap, and a busy duty skips heights
          for (const d of this.duties) {
            if (this.busy.has(d.name)) continue;
            this.busy.add(d.name);
            const run = d.tick(h)
              .catch((err) => this.log.warn({ duty: d.name, height: h.toString(), err: (err as Error).message }, "duty failed this block (retried next block)"))
              .finally(() => {
                this.busy.delete(d.name);
                this.inFlight.delete(run);
              });
            this.inFlight.add(run);
          }
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, "chain RPC unreachable; retrying");
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  async status(): Promise<Record<string, unknown>> {
    return {
      nodeId: this.nodeId?.toString(), bond: this.bond?.state, operator: this.chain.address, peerId: this.host.peerId.toString(), chainId: this.chain.chainId, height: this.lastHeight.toString(),
      multiaddrs: this.host.getMultiaddrs().map(String), dtsUrl: this.dtsUrl, routingUrl: this.routingUrl ?? (this.cfg.routing.url || undefined), watcher: this.cfg.watcher.enabled,
      peers: this.host.getPeers().length, contents: this.store.list(),
      balance: (await this.chain.balance().catch(() => undefined))?.toString(), lowBalance: this.chain.warnedLowBalance, duties: this.duties.map((d) => d.name),
    };
  }

  async healthy(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const since = (Date.now() - this.lastBlockAt) / 1000;
    const checks = {
      chain: since < 30 ? `ok (height ${this.lastHeight})` : `no new block for ${since.toFixed(0)} s`,
      p2p: this.host.status === "started" ? "ok" : this.host.status,
      balance: this.chain.warnedLowBalance ? "low" : "ok",
    };
    return { ok: since < 30 && this.host.status === "started", checks };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.loop;
    await Promise.all([...this.inFlight]);
    for (const f of this.closers) await f().catch(() => undefined);
    if (this.runFile) fs.rmSync(this.runFile, { force: true });
    this.log.info("stopped");
  }
}
