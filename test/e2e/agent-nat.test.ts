import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { multiaddr } from "@multiformats/multiaddr";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { setupAroExtension } from "../../client/index.ts";
import { LocalNode } from "../../app/testnet/local-node.ts";
import { editConfig, initAgent, killAgent, startAgent, tail, type AgentEntry } from "../../app/testnet/agents.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { eventually } from "../support/eventually.ts";
import { stopHosts } from "../support/hosts.ts";

const isCircuit = (a: string) => a.includes("/p2p-circuit");

describe("e2e: an agent behind a relay (p2p.relay_via) — its circuit is on chain, withdrawn when the relay dies, restored when it returns", function () {
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-agent-nat-"));
  let node: LocalNode;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  let agent: AgentEntry;
  let relayKey: PrivateKey;
  let relay: AroHost | undefined;
  let relayAddr = "";
  let nodeId = 0n;
  const hosts: AroHost[] = [];

  const startRelay = async (listen: string) => {
    relay = await createAroHost({ privateKey: relayKey, listen: [listen], relayServer: true });
    hosts.push(relay);
    return relay.getMultiaddrs()[0].toString();
  };
  const onChain = async () => (await q.aro.peernode.Node({ nodeId })).node!.multiaddrs;

  before(async () => {
    relayKey = await generateKeyPair("Ed25519");
    relayAddr = await startRelay("/ip4/127.0.0.1/tcp/0");
    agent = await initAgent(dir, "http://127.0.0.1:1", "", { name: "agent-nat", role: "node", edits: [["node", "services", ["cdn"]]] });
    node = await LocalNode.create({
      funded: [{ address: agent.operator, coins: "10000000000uaro" }],
      timeoutCommit: "300ms",
      editGenesis: (g) => Object.assign(g.app_state.peernode.params, { minBond: "1000000" }),
    });
    await node.start();
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
    editConfig(agent.home, [["", "chain_rpc", node.rpc], ["node", "bond", "5000000uaro"], ["p2p", "relay_via", [relayAddr]]]);
  });
  after(async () => {
    if (agent) await killAgent(agent).catch(() => undefined);
    await stopHosts(hosts);
    comet?.disconnect();
    await node?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("registers with the circuit through its relay among its multiaddrs, and a peer reaches it there", async () => {
    const run = await startAgent(agent);
    nodeId = BigInt(run.nodeId!);
    const addrs = await onChain();
    assert.ok(addrs.some((a) => a.startsWith(`${relayAddr}/p2p-circuit`)), `no circuit on chain: ${addrs.join(", ")}\n${tail(agent)}`);
    const peer = await createAroHost({ listen: [] });
    hosts.push(peer);
    const circuit = addrs.find(isCircuit)!;
    const rtt = await peer.services.ping.ping(multiaddr(`${circuit}/p2p/${agent.peerId}`), { signal: AbortSignal.timeout(10_000) });
    assert.ok(rtt >= 0);
  });

  it("when the relay goes away, the agent withdraws the circuit from chain", async () => {
    await relay!.stop();
    await eventually(async () => {
      const addrs = await onChain();
      assert.ok(addrs.length > 0 && !addrs.some(isCircuit), `still on chain: ${addrs.join(", ")}`);
    }, 60_000, 500);
  });

  it("when the relay is back, the agent reserves again and publishes the circuit again", async () => {
    assert.equal(await startRelay(relayAddr.replace(/\/p2p\/.*$/, "")), relayAddr);
    await eventually(async () => {
      const addrs = await onChain();
      assert.ok(addrs.some((a) => a.startsWith(`${relayAddr}/p2p-circuit`)), `not back on chain: ${addrs.join(", ")}`);
    }, 90_000, 500);
    await eventually(async () => {
      // the agent's log is written asynchronously
      const lines = fs.readFileSync(path.join(agent.home, "agent.log"), "utf8").split("\n").filter((l) => /relay reservation|addresses changed/.test(l));
      assert.ok(lines.filter((l) => l.includes("relay reservation held")).length >= 2, `reserved at start and after the relay returned:\n${lines.join("\n")}`);
      assert.ok(lines.filter((l) => l.includes("updated on chain")).length >= 2, lines.join("\n"));
    }, 10_000, 500);
  });
});
