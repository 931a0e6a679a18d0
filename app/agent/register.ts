import { MsgRegisterNodeResponse } from "../../proto/gen/aro/peernode/v1/tx.ts";
import { NodeStatus, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { bondCoin } from "../common/cli.ts";
import { pages, type ChainClient } from "../../workers/runtime/chain-client.ts";
import type { AgentConfig } from "./config.ts";

export interface NodeDescription {
  peerId: string;
  multiaddrs: string[];
  endpoints: string[];
}

/**
 * Finds this agent's node on chain (by its peer id among the operator's nodes) and
 * registers it with its bond if there is none; updates the addresses when they moved.
 */
export async function ensureRegistered(chain: ChainClient, cfg: AgentConfig, d: NodeDescription): Promise<{ node: Node; registered: boolean }> {
  const mine = await findNode(chain, d.peerId);
  if (mine) {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(mine.multiaddrs, d.multiaddrs) || !same(mine.endpoints, d.endpoints)) {
      await updateAddresses(chain, mine.id, d);
      return { node: { ...mine, multiaddrs: d.multiaddrs, endpoints: d.endpoints }, registered: false };
    }
    return { node: mine, registered: false };
  }
  const r = await chain.send([{
    typeUrl: "/aro.peernode.v1.MsgRegisterNode",
    value: {
      owner: chain.address, operator: chain.address, peerId: d.peerId, multiaddrs: d.multiaddrs, endpoints: d.endpoints, region: cfg.node.region,
      resources: cfg.node.resources, natType: cfg.node.nat, services: cfg.node.services, commission: cfg.node.commission, bond: bondCoin(cfg.node.bond),
    },
  }]);
  const nodeId = MsgRegisterNodeResponse.decode(r.msgResponses[0].value).nodeId;
  const node = (await chain.q.aro.peernode.Node({ nodeId })).node!;
  return { node, registered: true };
}

/** Replaces a registered node's multiaddrs and endpoints (every other field left as it is). */
export async function updateAddresses(chain: ChainClient, nodeId: bigint, d: Pick<NodeDescription, "multiaddrs" | "endpoints">): Promise<void> {
  await chain.send([{ typeUrl: "/aro.peernode.v1.MsgUpdateNode", value: { owner: chain.address, nodeId, operator: "", peerId: "", multiaddrs: d.multiaddrs, endpoints: d.endpoints, region: "", natType: 0, services: [], commission: "" } }]);
}

/** This operator's registered node with this peer id: ACTIVE, or UNDERBONDED (never registered twice). */
async function findNode(chain: ChainClient, peerId: string): Promise<Node | undefined> {
  for await (const page of pages((pagination) => chain.q.aro.peernode.Nodes({ owner: chain.address, region: "", service: 0, status: 0, pagination }))) {
    const hit = page.nodes.find((n) => n.peerId === peerId && (n.status === NodeStatus.NODE_STATUS_ACTIVE || n.status === NodeStatus.NODE_STATUS_UNDERBONDED));
    if (hit) return hit;
  }
  return undefined;
}
