// Run by test/e2e/p2p-dcutr.test.ts inside a network namespace of its own, whose loopback
// carries public-looking addresses (DCUtR only dials addresses that are not private).
// A node with no listening address at all registers with a relay that has libp2p's default
// limits; a client dials it through the relay; DCUtR upgrades that to a direct connection
// and the client downloads ~1 MiB of PeerDTS content over it. Prints one JSON line of facts.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { circuitRelayServer, type CircuitRelayService } from "@libp2p/circuit-relay-v2";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { download } from "../../client/fetch/downloader.ts";
import { Libp2pChunkSource } from "../../workers/dts/p2p-chunk-source.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { waitFor } from "./eventually.ts";
import { stopHosts } from "./hosts.ts";

const [relayIp, clientIp] = process.argv.slice(2);
if (!relayIp || !clientIp) throw new Error("usage: dcutr-scenario.ts <relay ip> <client ip>");

const isCircuit = (ma: Multiaddr) => ma.toString().includes("/p2p-circuit");


const describeConns = (h: Libp2p<any>, peer: Libp2p<any>) =>
  h.getConnections(peer.peerId).map((c) => ({ remoteAddr: c.remoteAddr.toString(), direction: c.direction, limited: c.limits !== undefined }));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-dcutr-"));
const hosts: Array<Libp2p<any>> = [];
try {
  // a relay as found in the wild: libp2p's default limits (128 KiB, 2 min per circuit)
  const relay: Libp2p<{ relay: CircuitRelayService }> = await createLibp2p({
    addresses: { listen: [`/ip4/${relayIp}/tcp/4011`], announce: [`/ip4/${relayIp}/tcp/4011`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), relay: circuitRelayServer() },
  });
  hosts.push(relay);
  const relayAddr = relay.getMultiaddrs()[0]!;

  // the node behind NAT: no listening socket, reachable only through its reservation
  const nat: AroHost = await createAroHost({ listen: [], relayVia: [relayAddr.toString()] });
  hosts.push(nat);
  const circuit = await waitFor("the node's relay reservation", () => nat.getMultiaddrs().find(isCircuit));
  const data = new Uint8Array(randomBytes(1024 * 1024 + 777));
  const { content, chunks } = chunkContent(data, 64 * 1024);
  const served = new Blockstore(path.join(dir, "nat"));
  served.put(content, chunks);
  let servedBytes = 0;
  await serveDtsOverLibp2p(nat, new DtsService(served, { onServed: (e) => (servedBytes += e.bytes) }));

  // a node on a public IP, announced as its operator configures it (p2p.announce)
  const client: AroHost = await createAroHost({ listen: [`/ip4/${clientIp}/tcp/4012`], announce: [`/ip4/${clientIp}/tcp/4012`] });
  hosts.push(client);
  const relayed = await client.dial(multiaddr(circuit.toString()));
  const firstConnection = { remoteAddr: relayed.remoteAddr.toString(), limited: relayed.limits !== undefined };

  // DCUtR on the NATed side sees an inbound relayed connection and dials the client directly
  const direct = await waitFor("a direct connection from the NATed node (DCUtR)", () =>
    client.getConnections(nat.peerId).find((c) => !isCircuit(c.remoteAddr)), 30_000);
  await waitFor("the relayed connection to be closed", () =>
    (client.getConnections(nat.peerId).some((c) => isCircuit(c.remoteAddr)) ? undefined : true), 30_000);

  const source = new Libp2pChunkSource(client, nat.peerId, "nat-direct");
  const store = new Blockstore(path.join(dir, "client"));
  const started = Date.now();
  const result = await download({ root: content.root, sources: [source], store });
  await source.close();
  const fetched = store.read(content.root, 0, data.length);

  console.log(JSON.stringify({
    natAddrs: nat.getMultiaddrs().map(String),
    relayLimit: String(relay.services.relay.reservations.get(nat.peerId)?.limit?.data ?? "none"),
    firstConnection,
    upgraded: { remoteAddr: direct.remoteAddr.toString(), direction: direct.direction, limited: direct.limits !== undefined },
    clientToNat: describeConns(client, nat),
    natToClient: describeConns(nat, client),
    download: {
      bytes: fetched.length,
      verified: Buffer.compare(Buffer.from(fetched), Buffer.from(data)) === 0,
      chunks: result.servedBy.get("nat-direct")?.length ?? 0,
      dropped: result.dropped.length,
      ms: Date.now() - started,
    },
    servedBytes,
  }));
} finally {
  await stopHosts(hosts);
  fs.rmSync(dir, { recursive: true, force: true });
}
