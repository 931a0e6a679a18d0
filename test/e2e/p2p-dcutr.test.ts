import assert from "node:assert/strict";
import { deleteNamespace, ip, namespaceOrSkip, runToEnd, spawnIn } from "../support/netns.ts";

const ns = `aro-dcutr-${process.pid}`;
// public-looking addresses: DCUtR dials only addresses that are not private, so loopback and
// the RFC 5737 test ranges are out; these exist only on the namespace's own loopback
const RELAY_IP = "11.0.0.3";
const CLIENT_IP = "11.0.0.1";

interface Facts {
  natAddrs: string[];
  relayLimit: string;
  firstConnection: { remoteAddr: string; limited: boolean };
  upgraded: { remoteAddr: string; direction: string; limited: boolean };
  clientToNat: Array<{ remoteAddr: string; direction: string; limited: boolean }>;
  natToClient: Array<{ remoteAddr: string; direction: string; limited: boolean }>;
  download: { bytes: number; verified: boolean; chunks: number; dropped: number; ms: number };
  servedBytes: number;
}

describe("DCUtR: a node with no listening address, behind a relay with default limits, gets a direct connection and serves PeerDTS over it (own network namespace)", function () {
  this.timeout(90_000);
  let facts: Facts;

  before(async function () {
    namespaceOrSkip(this, ns);
    for (const a of [RELAY_IP, CLIENT_IP]) ip("-n", ns, "addr", "add", `${a}/32`, "dev", "lo");
    facts = await runToEnd<Facts>(spawnIn(ns, "dcutr-scenario.ts", [RELAY_IP, CLIENT_IP]), 60_000);
  });
  after(() => deleteNamespace(ns));

  it("the node announces only its circuit, and the relay holds a reservation with the default 128 KiB limit", () => {
    assert.ok(facts.natAddrs.length > 0);
    for (const a of facts.natAddrs) assert.match(a, new RegExp(`^/ip4/${RELAY_IP.replace(/\./g, "\\.")}/tcp/\\d+/p2p/\\w+/p2p-circuit/p2p/\\w+$`));
    assert.equal(facts.relayLimit, "131072");
  });

  it("the client's first connection runs through the relay and is limited", () => {
    assert.match(facts.firstConnection.remoteAddr, /\/p2p-circuit\//);
    assert.equal(facts.firstConnection.limited, true);
  });

  it("DCUtR replaces it with a direct, unlimited connection that the node dialled to the client's public address", () => {
    assert.doesNotMatch(facts.upgraded.remoteAddr, /p2p-circuit/);
    assert.equal(facts.upgraded.direction, "inbound");
    assert.equal(facts.upgraded.limited, false);
    // the relayed connection is gone on both sides; the node's side is the dial to the client's listen address
    assert.ok(facts.clientToNat.length > 0 && facts.clientToNat.every((c) => !c.remoteAddr.includes("p2p-circuit")), JSON.stringify(facts.clientToNat));
    assert.ok(facts.natToClient.some((c) => c.direction === "outbound" && c.remoteAddr.startsWith(`/ip4/${CLIENT_IP}/tcp/`)), JSON.stringify(facts.natToClient));
  });

  it("~1 MiB of PeerDTS content (refused on the limited relay connection) downloads over the direct connection, every chunk verified", () => {
    assert.equal(facts.download.verified, true);
    assert.equal(facts.download.bytes, 1024 * 1024 + 777);
    assert.equal(facts.download.chunks, 17);
    assert.equal(facts.download.dropped, 0);
    assert.ok(facts.servedBytes >= facts.download.bytes);
  });
});
