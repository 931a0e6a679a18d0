import type { SigningStargateClient, StdFee } from "@cosmjs/stargate";
import { request } from "undici";
import { MsgPublishContentResponse } from "../proto/gen/aro/market/v1/tx.ts";
import type { AroExtension } from "./index.ts";
import { chunkContent } from "./content/chunks.ts";
import { contentCid } from "./content/cid.ts";

/** What publishing asks the chain (an `AroQuery`, e.g. `QueryClient.withExtensions(comet, setupAroExtension)`, is one). */
export interface PublishQuery {
  readonly aro: Pick<AroExtension["aro"], "market" | "peernode">;
}

export interface PublishResult {
  contentId: bigint;
  root: string;
  cid: string;
  replicas: bigint[];
  uploads: Array<{ nodeId: bigint; ok: boolean; error?: string }>;
}

/**
 * Publishes a file on the CDN for `epochs` epochs: chunks it with the chain's chunk size,
 * records it on chain (MsgPublishContent; the chain assigns replica nodes and holds the
 * term's storage payment from the escrow) and uploads it to each
 * assigned node (PUT /content/<root>, which the node checks against the chain).
 */
export async function publishContent(client: SigningStargateClient, q: PublishQuery, owner: string, data: Uint8Array, o: { replication: number; regions: string[]; epochs: bigint; fee: StdFee | "auto" | number }): Promise<PublishResult> {
  const { params } = await q.aro.market.Params({});
  const { content } = chunkContent(data, params!.chunkSize);
  const r = await client.signAndBroadcast(owner, [{ typeUrl: "/aro.market.v1.MsgPublishContent", value: { owner, root: content.root, size: BigInt(content.size), replication: o.replication, regions: o.regions, epochs: o.epochs } }], o.fee);
  if (r.code !== 0) throw new Error(`publish refused (${r.code}): ${r.rawLog}`);
  const { contentId, replicas } = MsgPublishContentResponse.decode(r.msgResponses[0].value);
  const uploads = await Promise.all(replicas.map(async (nodeId) => {
    try {
      const node = (await q.aro.peernode.Node({ nodeId })).node!;
      if (node.endpoints.length === 0) throw new Error("the node lists no HTTP endpoint");
      const res = await request(`${node.endpoints[0].replace(/\/$/, "")}/content/${content.root}`, { method: "PUT", body: data });
      const text = await res.body.text();
      // 201: stored; 200: the node already held it (it checked the body all the same)
      if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`${res.statusCode} ${text.trim()}`);
      return { nodeId, ok: true };
    } catch (err) {
      return { nodeId, ok: false, error: (err as Error).message };
    }
  }));
  return { contentId, root: content.root, cid: contentCid(content.root).toString(), replicas, uploads };
}
