import { Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { ContentLocator } from "../../workers/dts/locator.ts";
import type { WorkerComponents } from "../../workers/runtime/components.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { pinner as pinnerWorker } from "../../workers/dts/pinner.ts";
import { DtsService, type DtsFaults } from "../../workers/dts/service.ts";
import { gpowProver, type GpowProver } from "../../workers/gpow/prover.ts";
import { jobExecutor } from "../../workers/hvm/executor.ts";
import { RoutingLink } from "../../workers/routing/agent-link.ts";
import { AddressSync, addressesToRegister } from "./address-sync.ts";
import type { AgentWiring } from "./block-duty.ts";
import { BondWatch } from "./bond-watch.ts";
import { splitHostPort } from "./metrics.ts";
import { chainMediaTypes } from "../../workers/dts/media-types.ts";
import { ensureRegistered, updateAddresses } from "./register.ts";

/** The agent's view of its node, filled in as the node starts (and read live by the workers). */
export interface NodeState {
  nodeId?: bigint;
  bond?: BondWatch;
  dtsUrl?: string;
  /** the PeerRouting API this agent serves, when it serves one */
  readonly routingUrl?: string;
}

/** The PeerNode: serving, registration with its bond, prover, pinning, routing link, jobs. */
export async function startNodeDuties(w: AgentWiring, state: NodeState, faults?: DtsFaults): Promise<void> {
  const { cfg, chain, store, metrics, log, host } = w;
  let prover: GpowProver | undefined;
  const dts = new DtsService(store, {
    faults,
    identity: w.identity,
    mediaTypes: chainMediaTypes(chain.q.aro.market, { log }),
    receipts: { accept: (r) => (prover ? prover.accept(r) : Promise.reject(new Error("the node is not registered yet"))) },
    onServed: (e) => {
      metrics.bytesServed.inc({ transport: e.transport }, e.bytes);
      metrics.chunksServed.inc({ transport: e.transport });
    },
    uploads: async (root) => {
      if (state.nodeId === undefined) return undefined;
      const c = (await chain.q.aro.market.NodeReplicas({ nodeId: state.nodeId })).contents.find((x) => x.root === root);
      return c ? { size: Number(c.size), chunkSize: c.chunkSize } : undefined;
    },
  });
  await serveDtsOverLibp2p(host, dts);
  // http.dts_listen = "": no HTTP endpoint, the node serves over libp2p only (e.g. behind a relay)
  if (cfg.http.dtsListen) {
    const [dtsHost, dtsPort] = splitHostPort(cfg.http.dtsListen);
    const http = await startDtsHttp(dts, Number(dtsPort), dtsHost);
    w.closers.unshift(() => http.close());
    state.dtsUrl = cfg.http.dtsPublicUrl || http.url;
  }

  const peerId = host.peerId.toString();
  const endpoints = state.dtsUrl ? [state.dtsUrl] : [];
  const multiaddrsNow = () => addressesToRegister(cfg.p2p.announce, host.getMultiaddrs().map(String), peerId);
  const multiaddrs = multiaddrsNow();
  const { node, registered } = await ensureRegistered(chain, cfg, { peerId, multiaddrs, endpoints });
  state.nodeId = node.id;
  log.info({ nodeId: node.id.toString(), peerId, operator: chain.address, registered }, registered ? "node registered with its bond" : "node found on chain");
  // updates the node it has, by id: never a second registration (and bond) if the node left the active set
  const addressSync = new AddressSync(node.multiaddrs, multiaddrsNow, async (addrs) => {
    await updateAddresses(chain, node.id, { multiaddrs: addrs, endpoints });
    log.info({ multiaddrs: addrs }, "the host's addresses changed: updated on chain");
  });

  const components = (worker: string): WorkerComponents => ({ chain, db: w.db, store, host, log: log.child({ worker }) });
  prover = gpowProver({
    nodeId: node.id, owner: node.owner, windows: w.windows,
    events: { onReceipt: () => metrics.receipts.inc(), onClaim: () => metrics.claims.inc(), onProof: () => metrics.proofs.inc(), onStorageProof: () => metrics.storageProofs.inc() },
  })(components("gpow"));
  const gpow = prover;
  const pinner = pinnerWorker({ nodeId: node.id, events: { onFetched: (_r, reason) => metrics.downloads.inc({ reason }) }, policy: cfg.storage })(components("dts"));
  // under min_bond the node gets no new work and earns nothing: the operator is warned
  const bond = (state.bond = new BondWatch(node, async (nodeId) => (await chain.q.aro.peernode.Node({ nodeId })).node, log));
  w.duties.push(
    { name: "gpow", tick: (h) => gpow.tick(h) }, { name: "pinning", tick: () => pinner.tick() }, { name: "addresses", tick: async (h) => void (await addressSync.tick(h)) },
    { name: "bond", tick: (h) => bond.tick(h) },
  );

  if (cfg.node.services.includes(Service.SERVICE_HVM)) {
    const { params } = await chain.q.aro.market.Params({});
    const locator = new ContentLocator(components("hvm"), { routingUrl: () => state.routingUrl ?? (cfg.routing.url || undefined) });
    const executor = jobExecutor({
      nodeId: node.id, declared: cfg.node.resources, content: locator, chunkSize: params!.chunkSize,
      onRun: (r) => {
        metrics.jobs.inc({ status: r.status });
        metrics.computeUnits.inc(Number(r.computeUnits));
      },
    })(components("hvm"));
    // jobs first: their commit window is the tightest deadline an agent has
    w.duties.unshift({ name: "hvm", tick: (h) => executor.tick(h) });
  }

  const routingUrl = cfg.routing.url || state.routingUrl;
  if (routingUrl) {
    const identity = w.identity;
    const link = new RoutingLink(routingUrl, {
      nodeId: node.id,
      sign: (m) => identity.sign(m),
      load: () => Math.min(1, dts.inFlight / 32),
      assigned: async () => new Set((await chain.q.aro.market.NodeReplicas({ nodeId: node.id })).contents.map((c) => c.root)),
      prefetch: (root, from) => pinner.fetchInBackground(root, from, "prefetch"),
      evict: (root) => store.remove(root),
    }, cfg.routing.reportEverySeconds * 1000, log.child({ worker: "routing-link" }));
    link.start();
    w.closers.unshift(async () => link.stop());
  }
}
