import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { setupAroExtension } from "../../proto/client/index.ts";
import { Reach } from "../../proto/gen/aro/keeper/v1/keeper.ts";
import { NatType } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { LocalNode } from "../../testnet/local-node.ts";
import { editConfig, initAgent, killAgent, startAgent, tail, type AgentEntry } from "../../testnet/agents.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { eventually } from "../support/eventually.ts";
import { stopHosts } from "../support/hosts.ts";

const EPOCH = 20n;

describe("e2e: a keeper probes a relay-only node over libp2p — counted up, measured as relayed, scored with the relayed NAT factor", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-keeper-nat-"));
  let node: LocalNode;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  let natted: AgentEntry;
  let keeper: AgentEntry;
  let nodeId = 0n;
  let reportedEpoch = 0n;
  const hosts: AroHost[] = [];

  before(async () => {
    const relay = await createAroHost({ privateKey: await generateKeyPair("Ed25519"), listen: ["/ip4/127.0.0.1/tcp/0"], relayServer: true });
    hosts.push(relay);
    const relayAddr = relay.getMultiaddrs()[0].toString();
    natted = await initAgent(dir, "http://127.0.0.1:1", "", { name: "agent-natted", role: "node", edits: [["node", "services", ["cdn"]]] });
    keeper = await initAgent(dir, "http://127.0.0.1:1", "", { name: "keeper-1", role: "keeper" });
    node = await LocalNode.create({
      funded: [natted, keeper].map((a) => ({ address: a.operator, coins: "10000000000uaro" })),
      timeoutCommit: "300ms",
      editGenesis: (g) => {
        const s = g.app_state;
        Object.assign(s.settlement.params, { epochLength: EPOCH.toString() });
        Object.assign(s.gpow.params, { claimWindow: "5", proofWindow: "10" });
        Object.assign(s.keeper.params, { attestWindow: "10", minStake: "1000000" });
        Object.assign(s.peernode.params, { minBond: "1000000" });
      },
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    for (const a of [natted, keeper]) editConfig(a.home, [["", "chain_rpc", node.rpc], ["node", "bond", "5000000uaro"], ["keeper", "stake", "2000000uaro"]]);
    // behind NAT: no listen address and no HTTP endpoint, reachable only through its relay circuit — yet it declares a public NAT
    editConfig(natted.home, [["p2p", "listen", []], ["p2p", "relay_via", [relayAddr]], ["http", "dts_listen", ""], ["node", "nat", "public"]]);
  });
  after(async () => {
    for (const a of [natted, keeper]) if (a) await killAgent(a).catch(() => undefined);
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
    await startAgent(keeper);
  });

  it("the keeper reaches it through the relay over libp2p: its attestation has uptime > 0 and reach = relayed", async () => {
    await eventually(async () => {
      const h = BigInt((await comet.status()).syncInfo.latestBlockHeight);
      const found = [];
      for (let e = h / EPOCH; e >= 1n; e--) {
        found.push(...(await q.aro.keeper.Reports({ nodeId, epoch: e })).reports.filter((r) => r.keeper === keeper.operator).map((r) => ({ e, r: r.report! })));
      }
      const up = found.find(({ r }) => r.uptimePermille > 0);
      assert.ok(up, `no report with uptime > 0 yet: ${JSON.stringify(found.map(({ e, r }) => [String(e), r.uptimePermille, r.reach]))}\n${tail(keeper)}`);
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
});
