import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { setupAroExtension } from "../../client/index.ts";
import { Reach } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { NatType } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { LocalNode } from "../../app/testnet/local-node.ts";
import { editConfig, initAgent, killAgent, startAgent, tail, type AgentEntry } from "../../app/testnet/agents.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { eventually } from "../support/eventually.ts";
import { stopHosts } from "../support/hosts.ts";

const EPOCH = 20n;

/** region_factors in genesis: both nodes declare a region worth more than 1 */
const EUROPE = "1.500000000000000000";
const ASIA = "1.200000000000000000";
// generous for a loaded CI host: the unit tests pin the threshold itself; here what matters is where the watcher is
const REGION_MAX_LATENCY_MS = 1000;

describe("e2e: a watcher probes a relay-only node over libp2p — counted up, measured as relayed, scored with the relayed NAT factor; a node's region is the one its watchers see", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-watcher-nat-"));
  let node: LocalNode;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  let natted: AgentEntry;
  let watcher: AgentEntry;
  /** a directly reachable node in the watcher's region (asia) */
  let local: AgentEntry;
  let nodeId = 0n;
  let localId = 0n;
  let reportedEpoch = 0n;
  const hosts: AroHost[] = [];

  before(async () => {
    const relay = await createAroHost({ privateKey: await generateKeyPair("Ed25519"), listen: ["/ip4/127.0.0.1/tcp/0"], relayServer: true });
    hosts.push(relay);
    const relayAddr = relay.getMultiaddrs()[0].toString();
    natted = await initAgent(dir, "http://127.0.0.1:1", "", { name: "agent-natted", role: "node", edits: [["node", "services", ["cdn"]]] });
    local = await initAgent(dir, "http://127.0.0.1:1", "", { name: "agent-asia", role: "node", edits: [["node", "services", ["cdn"]], ["node", "region", "asia"]] });
    // the only watcher is registered in asia: nobody probes from europe, where the relay-only node says it is
    watcher = await initAgent(dir, "http://127.0.0.1:1", "", { name: "watcher-1", role: "watcher", edits: [["node", "region", "asia"]] });
    node = await LocalNode.create({
      funded: [natted, local, watcher].map((a) => ({ address: a.operator, coins: "10000000000uaro" })),
      timeoutCommit: "300ms",
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, {
          epochLength: EPOCH.toString(), regionMaxLatencyMs: REGION_MAX_LATENCY_MS,
          regionFactors: [{ region: "europe", factor: EUROPE }, { region: "asia", factor: ASIA }],
        });
        Object.assign(s.gpow.params, { claimWindow: "5", proofWindow: "10" });
        Object.assign(s.watcher.params, { attestWindow: "10", minStake: "1000000" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    for (const a of [natted, local, watcher]) editConfig(a.home, [["", "chain_rpc", node.rpc], ["node", "bond", "5000000uaro"], ["watcher", "stake", "2000000uaro"]]);
    // behind NAT: no listen address and no HTTP endpoint, reachable only through its relay circuit — yet it declares a public NAT
    editConfig(natted.home, [["p2p", "listen", []], ["p2p", "relay_via", [relayAddr]], ["http", "dts_listen", ""], ["node", "nat", "public"]]);
  });
  after(async () => {
    for (const a of [natted, local, watcher]) if (a) await killAgent(a).catch(() => undefined);
    await stopHosts(hosts);
    comet?.disconnect();
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the relay-only node registers with its circuit only, no HTTP endpoint, declaring a public NAT", async () => {
    const run = await startAgent(natted);
    nodeId = BigInt(run.nodeId!);
    const n = (await q.aro.peernode.Node({ nodeId })).node!;
    assert.deepEqual(n.endpoints, []);
    assert.ok(n.multiaddrs.length > 0 && n.multiaddrs.every((a) => a.includes("/p2p-circuit")), n.multiaddrs.join(", "));
    assert.equal(n.natType, NatType.NAT_TYPE_PUBLIC);
    assert.equal(n.region, "europe");
    localId = BigInt((await startAgent(local)).nodeId!);
    assert.equal((await q.aro.peernode.Node({ nodeId: localId })).node!.region, "asia");
    await startAgent(watcher);
  });

  it("the watcher reaches it through the relay over libp2p: its attestation has uptime > 0 and reach = relayed", async () => {
    await eventually(async () => {
      const h = BigInt((await comet.status()).syncInfo.latestBlockHeight);
      const found = [];
      for (let e = h / EPOCH; e >= 1n; e--) {
        found.push(...(await q.aro.watcher.Reports({ nodeId, epoch: e })).reports.filter((r) => r.watcher === watcher.operator).map((r) => ({ e, r: r.report! })));
      }
      const up = found.find(({ r }) => r.uptimePermille > 0);
      assert.ok(up, `no report with uptime > 0 yet: ${JSON.stringify(found.map(({ e, r }) => [String(e), r.uptimePermille, r.reach]))}\n${tail(watcher)}`);
      assert.equal(up.r.reach, Reach.REACH_RELAYED);
      reportedEpoch = up.e;
    }, 180_000, 1000);
  });

  it("its epoch settles with the measured (relayed) NAT factor, not the public one it declared, and explain shows both", async () => {
    const p = (await q.aro.settlement.Params({})).params!;
    const explained = await eventually(async () => q.aro.settlement.Explain({ nodeId, epoch: reportedEpoch }), 120_000, 1000);
    const r = explained.record!;
    assert.ok(r.uptimePermille > 0);
    assert.equal(r.declaredNatFactor, p.natFactors[NatType.NAT_TYPE_PUBLIC]);
    assert.equal(r.measuredNatFactor, p.natFactors[NatType.NAT_TYPE_SYMMETRIC]);
    assert.equal(r.natFactor, p.natFactors[NatType.NAT_TYPE_SYMMETRIC]);
    assert.match(explained.formula, /min of declared 1\.0+, measured 0\.70+/);
  });

  it("its region is not verified (no watcher of europe sees it): scored with region factor 1, not the 1.5 it declared", async () => {
    const r = (await q.aro.settlement.Explain({ nodeId, epoch: reportedEpoch })).record!;
    assert.equal(r.regionFactor, "1.000000000000000000");
    assert.equal(r.declaredRegionFactor, EUROPE);
    assert.equal(r.measuredRegionFactor, "1.000000000000000000");
    assert.equal(r.regionReports, 0);
  });

  it("a node the watcher of its region sees within region_max_latency_ms gets the factor it declared, and explain shows both", async () => {
    const explained = await eventually(async () => {
      const h = BigInt((await comet.status()).syncInfo.latestBlockHeight);
      for (let e = 1n; e <= h / EPOCH; e++) {
        const up = (await q.aro.watcher.Reports({ nodeId: localId, epoch: e })).reports.some((r) => r.watcher === watcher.operator && r.report!.uptimePermille > 0);
        if (up) return q.aro.settlement.Explain({ nodeId: localId, epoch: e });
      }
      throw new Error(`no report with uptime > 0 on node ${localId} yet\n${tail(watcher)}`);
    }, 180_000, 1000);
    const r = explained.record!;
    assert.ok(r.regionReports >= 1);
    assert.ok(r.regionLatencyMs <= REGION_MAX_LATENCY_MS, `median latency ${r.regionLatencyMs} ms`);
    assert.equal(r.declaredRegionFactor, ASIA);
    assert.equal(r.measuredRegionFactor, ASIA);
    assert.equal(r.regionFactor, ASIA);
    assert.match(explained.formula, /region 1\.20+ \(min of declared 1\.20+, measured 1\.20+: \d+ reports? from watchers of the region, median \d+ ms\)/);
  });
});
