import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { multiaddr } from "@multiformats/multiaddr";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { download } from "../../client/fetch/downloader.ts";
import { Libp2pChunkSource } from "../../workers/dts/p2p-chunk-source.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { createAroHost, type AroHost } from "../../workers/p2p/host.ts";
import { RelayReservations } from "../../workers/p2p/relay-reservations.ts";
import { waitFor } from "../support/eventually.ts";
import { stopHosts } from "../support/hosts.ts";

describe("a node behind NAT keeps its reservation on a configured relay across the relay's restart (127.0.0.1)", function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-relay-res-"));
  const hosts: AroHost[] = [];
  let relayKey: Awaited<ReturnType<typeof generateKeyPair>>;
  let relay: AroHost;
  let relayAddr: string;
  let nat: AroHost;
  let clock = 1_000_000;
  let reservations: RelayReservations;
  const { content, chunks } = chunkContent(new Uint8Array(randomBytes(300_000)), 64 * 1024);

  const startRelay = async (listen: string) => {
    relay = await createAroHost({ privateKey: relayKey, listen: [listen], relayServer: true });
    hosts.push(relay);
    return relay.getMultiaddrs()[0].toString();
  };

  before(async () => {
    relayKey = await generateKeyPair("Ed25519");
    relayAddr = await startRelay("/ip4/127.0.0.1/tcp/0");
    nat = await createAroHost({ listen: [] });
    hosts.push(nat);
    const store = new Blockstore(path.join(dir, "nat"));
    store.put(content, chunks);
    await serveDtsOverLibp2p(nat, new DtsService(store));
    reservations = new RelayReservations(nat, [relayAddr], { retryMs: 10_000, now: () => clock });
  });
  after(async () => {
    await stopHosts(hosts);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reserves on the configured relay, and does not ask again while the circuit is held", async () => {
    assert.deepEqual(reservations.missing(), [relayAddr]);
    assert.deepEqual(await reservations.tick(), [{ relay: relayAddr, ok: true }]);
    assert.deepEqual(reservations.missing(), []);
    assert.deepEqual(await reservations.tick(), []);
  });

  it("when the relay goes down the circuit is gone; asking fails, and is not repeated before retryMs", async () => {
    await relay.stop();
    await waitFor("the circuit address to be withdrawn", () => (reservations.missing().length === 1 ? true : undefined));
    clock += 10_000;
    const [failed] = await reservations.tick();
    assert.equal(failed.ok, false);
    assert.ok(failed.error);
    assert.deepEqual(await reservations.tick(), [], "within retryMs of the failed try");
  });

  it("once the relay is back, the next due tick reserves again and a client reaches the node through it", async () => {
    const again = await startRelay(relayAddr.replace(/\/p2p\/.*$/, ""));
    assert.equal(again, relayAddr, "the relay came back on the same address and key");
    clock += 10_000;
    assert.deepEqual(await reservations.tick(), [{ relay: relayAddr, ok: true }]);
    assert.deepEqual(reservations.missing(), []);
    const client = await createAroHost({ listen: [] });
    hosts.push(client);
    const source = new Libp2pChunkSource(client, multiaddr(`${relayAddr}/p2p-circuit/p2p/${nat.peerId}`), "via-relay");
    try {
      const r = await download({ root: content.root, sources: [source], store: new Blockstore(path.join(dir, "client")) });
      assert.equal(r.servedBy.get("via-relay")?.length, content.chunkHashes.length);
    } finally {
      await source.close();
    }
  });

  it("refuses a relay address that does not name the relay's peer", () => {
    assert.throws(() => new RelayReservations(nat, ["/ip4/127.0.0.1/tcp/4001"]), /must end in \/p2p\/<relay peer id>/);
  });
});
