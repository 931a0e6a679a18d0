import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { addNamespace, deleteNamespace, jsonLine, linkNamespaces, namespaceOrSkip, runToEnd, spawnIn, stop } from "../support/netns.ts";

// two hosts, each its own network namespace, joined by a veth cable; public-looking
// addresses, since AutoNAT neither asks about nor dials private ones
const NODE_NS = `aro-an-${process.pid}-n`;
const VERIFIER_NS = `aro-an-${process.pid}-v`;
const NODE_IP = "11.0.1.1";
const VERIFIER_IP = "11.0.1.2";

interface NodeFacts { before: string[]; after: string[]; publicAddr: string; confirmedMs: number }

describe("AutoNAT: a node on a public IP, with nothing announced by hand, has a peer confirm its address and then announces it (two network namespaces)", function () {
  this.timeout(90_000);
  let verifier: ChildProcess | undefined;
  let facts: NodeFacts;

  before(async function () {
    namespaceOrSkip(this, NODE_NS);
    const why = addNamespace(VERIFIER_NS);
    if (why) throw new Error(`second namespace: ${why}`);
    linkNamespaces(NODE_NS, `${NODE_IP}/24`, VERIFIER_NS, `${VERIFIER_IP}/24`);
    verifier = spawnIn(VERIFIER_NS, "autonat-scenario.ts", ["verifier", VERIFIER_IP]);
    const { addr } = await jsonLine<{ addr: string }>(verifier, 30_000);
    facts = await runToEnd<NodeFacts>(spawnIn(NODE_NS, "autonat-scenario.ts", ["node", NODE_IP, addr]), 70_000);
  });
  after(async () => {
    if (verifier) await stop(verifier);
    deleteNamespace(NODE_NS);
    deleteNamespace(VERIFIER_NS);
  });

  it("at start the public listen address is not announced (unconfirmed), only loopback", () => {
    assert.ok(!facts.before.some((a) => a.includes(NODE_IP)), facts.before.join(", "));
    assert.ok(facts.before.some((a) => a.startsWith("/ip4/127.0.0.1/tcp/4002/")), facts.before.join(", "));
  });

  it("after the verifier dialled it back, the node announces its public address", () => {
    assert.ok(facts.after.includes(facts.publicAddr), `not confirmed within 40 s: ${facts.after.join(", ")}`);
  });
});
