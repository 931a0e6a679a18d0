import { multiaddr } from "@multiformats/multiaddr";
import type { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { AroHost } from "../p2p/host.ts";
import type { AroQuery } from "../runtime/chain-client.ts";
import { HttpChunkSource } from "./http-source.ts";
import { Libp2pChunkSource } from "./p2p-protocol.ts";
import type { ChunkSource } from "./source.ts";

/** A multiaddr as registered on chain, with the node's peer id appended for dialling. */
export function dialAddr(addr: string, peerId: string): string {
  return addr.includes(`/p2p/${peerId}`) ? addr : `${addr}/p2p/${peerId}`;
}

/** The way to reach a node: libp2p when this side has a host and the node lists multiaddrs, else HTTP. */
export function sourceForNode(node: Pick<Node, "id" | "peerId" | "multiaddrs" | "endpoints">, host?: AroHost): ChunkSource | undefined {
  if (host && node.multiaddrs.length > 0) {
    return new Libp2pChunkSource(host, node.multiaddrs.map((a) => multiaddr(dialAddr(a, node.peerId))), node.id.toString());
  }
  if (node.endpoints.length > 0) return new HttpChunkSource(node.endpoints[0].replace(/\/$/, ""), node.id.toString());
  return undefined;
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
