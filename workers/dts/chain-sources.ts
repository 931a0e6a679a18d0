import { multiaddr } from "@multiformats/multiaddr";
import { httpSourceFor } from "../../client/fetch/http-source.ts";
import type { ChunkSource, NodeAddress } from "../../client/fetch/source.ts";
import type { AroHost } from "../p2p/host.ts";
import type { AroQuery } from "../runtime/chain-client.ts";
import { Libp2pChunkSource } from "./p2p-chunk-source.ts";

/** A multiaddr as registered on chain, with the node's peer id appended for dialling. */
export function dialAddr(addr: string, peerId: string): string {
  return addr.includes(`/p2p/${peerId}`) ? addr : `${addr}/p2p/${peerId}`;
}

/** The way to reach a node: libp2p when this side has a host and the node lists multiaddrs, else HTTP. */
export function sourceForNode(node: NodeAddress, host?: AroHost): ChunkSource | undefined {
  if (host && node.multiaddrs.length > 0) {
    return new Libp2pChunkSource(host, node.multiaddrs.map((a) => multiaddr(dialAddr(a, node.peerId))), node.id.toString());
  }
  return httpSourceFor(node);
}

/** Sources for the given chain nodes (skipping this host's own node and nodes it cannot reach). */
export async function sourcesForNodes(q: AroQuery, ids: readonly bigint[], host?: AroHost): Promise<ChunkSource[]> {
  const out: ChunkSource[] = [];
  for (const nodeId of ids) {
    const node = (await q.aro.peernode.Node({ nodeId }).catch(() => undefined))?.node;
    if (!node || node.peerId === host?.peerId.toString()) continue;
    const s = sourceForNode(node, host);
    if (s) out.push(s);
  }
  return out;
}
