import fs from "node:fs";
import { pino, type Logger } from "pino";
import { Keyring } from "../../chain/keyring/keyring.ts";
import { parseCoins } from "../../chain/coins.ts";
import { Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { ContentLocator } from "../../workers/dts/locator.ts";
import type { WorkerComponents } from "../../workers/runtime/components.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-protocol.ts";
import { pinner as pinnerWorker } from "../../workers/dts/pinner.ts";
import { DtsService, type DtsFaults } from "../../workers/dts/service.ts";
import { gpowProver, type GpowProver, type Windows } from "../../workers/gpow/prover.ts";
import { jobExecutor } from "../../workers/hvm/executor.ts";
import { keeperProber } from "../../workers/keeper/prober.ts";
import { identityFromKey, type NodeIdentity } from "../../workers/dts/challenge.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { loadOrCreatePeerKey } from "../../workers/p2p/peer-key.ts";
import { RelayReservations } from "../../workers/p2p/relay-reservations.ts";
import { RoutingLink } from "../../workers/routing/agent-link.ts";
import { startRoutingService } from "../../workers/routing/service.ts";
import { AddressSync, addressesToRegister } from "./address-sync.ts";
import { BondWatch } from "./bond-watch.ts";
import { ChainClient } from "../../workers/runtime/chain-client.ts";
import { loadConfig, type AgentConfig } from "./config.ts";
import { agentPaths } from "./home.ts";
import { ensureKeeper } from "./keeper-registration.ts";
import { AgentMetrics, startMetricsHttp, splitHostPort } from "./metrics.ts";
import { ensureRegistered, updateAddresses } from "./register.ts";
import { AgentDb } from "../../workers/runtime/state-db.ts";

export interface AgentOptions {
  home: string;
  /** keyring password for the file backend */
  password?: () => Promise<string>;
  /** fault injection (local testnet, tests): see DtsFaults */
  faults?: DtsFaults;
  /** overrides of the config file */
  config?: (c: AgentConfig) => void;
}

/** One background duty run on every new block (a duty still busy with an earlier block skips it). */
export interface BlockDuty {
  readonly name: string;
  tick(height: bigint): Promise<void>;
}

type Closer = () => Promise<unknown>;

/**
 * aro-agent: the PeerNode daemon. Connects to the chain and runs the libp2p host, then
 * what the config asks for: the node (registered with its bond; PeerDTS over HTTP and
 * libp2p, replica pinning, the GPoW prover, PeerHVM jobs), keeper mode, a PeerRouting
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
    /** signs keepers' and routing's challenges as the peer id registered on chain */
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
      const agent = new Agent(cfg, log, db, new Blockstore(paths.blocks), chain, host, identityFromKey(peerKey, host.peerId.toString()), metrics, windows);
      agent.closers.push(...closers.reverse());
      closers.length = 0;
      try {
        if (cfg.p2p.relayVia.length > 0) await agent.startRelays();
        if (cfg.routing.serve) await agent.startRouting();
        if (cfg.node.services.length > 0) await agent.startNode(o.faults);
        if (cfg.keeper.enabled) await agent.startKeeper();
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

  /** Reservations on the configured relays: asked for before registration, and again whenever one is lost. */
  private async startRelays(): Promise<void> {
    const relays = new RelayReservations(this.host, this.cfg.p2p.relayVia);
    const log = this.log.child({ worker: "p2p" });
    const tick = async () => {
      for (const a of await relays.tick()) {
        if (a.ok) log.info({ relay: a.relay }, "relay reservation held");
        else log.warn({ relay: a.relay, err: a.error }, "relay reservation failed (retried in 10 s)");
      }
    };
    await tick();
    this.duties.push({ name: "relays", tick });
  }

  /** The PeerNode: serving, registration with its bond, prover, pinning, routing link, jobs. */
  private async startNode(faults?: DtsFaults): Promise<void> {
    const { cfg, chain, store, metrics, log, host } = this;
    let prover: GpowProver | undefined;
    const dts = new DtsService(store, {
      faults,
      identity: this.identity,
      receipts: { accept: (r) => (prover ? prover.accept(r) : Promise.reject(new Error("the node is not registered yet"))) },
      onServed: (e) => {
        metrics.bytesServed.inc({ transport: e.transport }, e.bytes);
        metrics.chunksServed.inc({ transport: e.transport });
      },
      uploads: async (root) => {
        if (this.nodeId === undefined) return undefined;
        const c = (await chain.q.aro.market.NodeReplicas({ nodeId: this.nodeId })).contents.find((x) => x.root === root);
        return c ? { size: Number(c.size), chunkSize: c.chunkSize } : undefined;
      },
    });
    await serveDtsOverLibp2p(host, dts);
    // http.dts_listen = "": no HTTP endpoint, the node serves over libp2p only (e.g. behind a relay)
    if (cfg.http.dtsListen) {
      const [dtsHost, dtsPort] = splitHostPort(cfg.http.dtsListen);
      const http = await startDtsHttp(dts, Number(dtsPort), dtsHost);
      this.closers.unshift(() => http.close());
      this.dtsUrl = cfg.http.dtsPublicUrl || http.url;
    }

    const peerId = host.peerId.toString();
    const endpoints = this.dtsUrl ? [this.dtsUrl] : [];
    const multiaddrsNow = () => addressesToRegister(cfg.p2p.announce, host.getMultiaddrs().map(String), peerId);
    const multiaddrs = multiaddrsNow();
    const { node, registered } = await ensureRegistered(chain, cfg, { peerId, multiaddrs, endpoints });
    this.nodeId = node.id;
    log.info({ nodeId: node.id.toString(), peerId, operator: chain.address, registered }, registered ? "node registered with its bond" : "node found on chain");
    // updates the node it has, by id: never a second registration (and bond) if the node left the active set
    const addressSync = new AddressSync(node.multiaddrs, multiaddrsNow, async (addrs) => {
      await updateAddresses(chain, node.id, { multiaddrs: addrs, endpoints });
      log.info({ multiaddrs: addrs }, "the host's addresses changed: updated on chain");
    });

    const components = (worker: string): WorkerComponents => ({ chain, db: this.db, store, host, log: log.child({ worker }) });
    prover = gpowProver({
      nodeId: node.id, owner: node.owner, windows: this.windows,
      events: { onReceipt: () => metrics.receipts.inc(), onClaim: () => metrics.claims.inc(), onProof: () => metrics.proofs.inc(), onStorageProof: () => metrics.storageProofs.inc() },
    })(components("gpow"));
    const gpow = prover;
    const pinner = pinnerWorker({ nodeId: node.id, events: { onFetched: (_r, reason) => metrics.downloads.inc({ reason }) }, policy: cfg.storage })(components("dts"));
    // under min_bond the node gets no new work and earns nothing: the operator is warned
    const bond = (this.bond = new BondWatch(node, async (nodeId) => (await chain.q.aro.peernode.Node({ nodeId })).node, log));
    this.duties.push(
      { name: "gpow", tick: (h) => gpow.tick(h) }, { name: "pinning", tick: () => pinner.tick() }, { name: "addresses", tick: async (h) => void (await addressSync.tick(h)) },
      { name: "bond", tick: (h) => bond.tick(h) },
    );

    if (cfg.node.services.includes(Service.SERVICE_HVM)) {
      const { params } = await chain.q.aro.market.Params({});
      const locator = new ContentLocator(components("hvm"), { routingUrl: () => this.routingUrl ?? (cfg.routing.url || undefined) });
      const executor = jobExecutor({
        nodeId: node.id, declared: cfg.node.resources, content: locator, chunkSize: params!.chunkSize,
        onRun: (r) => {
          metrics.jobs.inc({ status: r.status });
          metrics.computeUnits.inc(Number(r.computeUnits));
        },
      })(components("hvm"));
      // jobs first: their commit window is the tightest deadline an agent has
      this.duties.unshift({ name: "hvm", tick: (h) => executor.tick(h) });
    }

    const routingUrl = cfg.routing.url || this.routingUrl;
    if (routingUrl) {
      const identity = this.identity;
      const link = new RoutingLink(routingUrl, {
        nodeId: node.id,
        sign: (m) => identity.sign(m),
        load: () => Math.min(1, dts.inFlight / 32),
        assigned: async () => new Set((await chain.q.aro.market.NodeReplicas({ nodeId: node.id })).contents.map((c) => c.root)),
        prefetch: (root, from) => pinner.fetchInBackground(root, from, "prefetch"),
        evict: (root) => store.remove(root),
      }, cfg.routing.reportEverySeconds * 1000, log.child({ worker: "routing-link" }));
      link.start();
      this.closers.unshift(async () => link.stop());
    }
  }

  private async startKeeper(): Promise<void> {
    await ensureKeeper(this.chain, this.cfg, this.log);
    const { params } = await this.chain.q.aro.keeper.Params({});
    const prober = keeperProber({
      windows: { ...this.windows, attestWindow: BigInt(params!.attestWindow) },
      probesPerEpoch: this.cfg.keeper.probesPerEpoch,
      onProbe: (r) => this.metrics.probes.inc({ result: r.answered ? (r.chunk ?? "answered") : "unanswered" }),
    })({ chain: this.chain, db: this.db, host: this.host, log: this.log.child({ worker: "keeper" }) });
    this.duties.push({ name: "keeper", tick: (h) => prober.tick(h) });
  }

  private async startRouting(): Promise<void> {
    const [host, port] = splitHostPort(this.cfg.routing.listen);
    const routing = await startRoutingService({
      q: this.chain.q, log: this.log.child({ worker: "routing" }), host: this.host, listen: { host, port: Number(port) },
      epochLength: this.windows.epochLength, staleMs: this.cfg.routing.reportEverySeconds * 3000,
    });
    this.routingUrl = routing.url;
    this.closers.unshift(() => routing.close());
    this.duties.push({ name: "routing", tick: (h) => routing.feed.tick(h) });
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
      multiaddrs: this.host.getMultiaddrs().map(String), dtsUrl: this.dtsUrl, routingUrl: this.routingUrl ?? (this.cfg.routing.url || undefined), keeper: this.cfg.keeper.enabled,
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
