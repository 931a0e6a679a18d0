import "./node20.ts";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { webSockets } from "@libp2p/websockets";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify, identifyPush } from "@libp2p/identify";
import { kadDHT, passthroughMapper, type KadDHT } from "@libp2p/kad-dht";
import { ping, type Ping } from "@libp2p/ping";
import { circuitRelayServer, circuitRelayTransport } from "@libp2p/circuit-relay-v2";
import { dcutr } from "@libp2p/dcutr";
import { autoNATv2 } from "@libp2p/autonat-v2";
import type { Identify } from "@libp2p/identify";
import type { PrivateKey } from "@libp2p/interface";
import { multiaddr } from "@multiformats/multiaddr";

/** Aro's own DHT, apart from the public IPFS one. */
export const ARO_DHT_PROTOCOL = "/aro/kad/1.0.0";

export interface HostOptions {
  privateKey?: PrivateKey;
  /** e.g. /ip4/127.0.0.1/tcp/0 and /ip4/127.0.0.1/tcp/0/ws; empty for a node that cannot be dialled */
  listen: string[];
  /** peers to dial at start (multiaddrs with /p2p/<id>) */
  bootstrap?: string[];
  /** offer circuit relay v2 reservations to nodes behind NAT */
  relayServer?: boolean;
  /** announce these relay circuits (…/p2p/<relay>/p2p-circuit) so others can reach this node */
  relayVia?: string[];
  /** addresses to announce instead of the listen addresses */
  announce?: string[];
}

export type AroServices = { identify: Identify; identifyPush: unknown; ping: Ping; dht: KadDHT; dcutr: unknown; autoNAT: unknown; relay?: unknown };
export type AroHost = Libp2p<AroServices>;

/**
 * The PeerNode's libp2p host: TCP + WebSocket (+ relayed circuits), noise, yamux,
 * identify, ping, kad-dht (peer discovery and content provider records), circuit
 * relay v2 (client always, server when asked), DCUtR hole punching, and AutoNAT (other
 * peers confirm our public addresses, so a node on a public IP announces them).
 */
export async function createAroHost(opts: HostOptions): Promise<AroHost> {
  const listen = [...opts.listen, ...(opts.relayVia ?? []).map((r) => `${r.replace(/\/p2p-circuit$/, "")}/p2p-circuit`)];
  const host = await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen, announce: opts.announce },
    transports: [tcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // loopback and private addresses are real addresses on a local testnet
    connectionGater: { denyDialMultiaddr: () => false },
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      dht: kadDHT({ protocol: ARO_DHT_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper, allowQueryWithZeroPeers: true }),
      dcutr: dcutr(),
      // peers dial our public listen addresses back; js-libp2p announces a public address only once confirmed
      autoNAT: autoNATv2(),
      ...(opts.relayServer ? { relay: circuitRelayServer({ reservations: { maxReservations: 256, applyDefaultLimit: false } }) } : {}),
    },
  });
  for (const addr of opts.bootstrap ?? []) {
    try {
      await host.dial(multiaddr(addr));
    } catch {
      // a bootstrap peer that is down is not fatal: the DHT and later dials fill in
    }
  }
  return host as unknown as AroHost;
}
