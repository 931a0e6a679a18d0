import type { SigningStargateClient, StdFee } from "@cosmjs/stargate";
import { MsgPublishContentResponse } from "../proto/gen/aro/market/v1/tx.ts";
import type { AroExtension } from "./index.ts";
import { contentCid } from "./content/cid.ts";
import { bytesSource, contentInfoOf, fileSource, type ContentSource } from "./content/content-source.ts";
import type { ContentInfo } from "./content/manifest.ts";
import { uploadContent } from "./upload.ts";

/** What publishing asks the chain (an `AroQuery`, e.g. `QueryClient.withExtensions(comet, setupAroExtension)`, is one). */
export interface PublishQuery {
  readonly aro: Pick<AroExtension["aro"], "market" | "peernode">;
}

export interface PublishResult {
  contentId: bigint;
  root: string;
  cid: string;
  size: number;
  replicas: bigint[];
  /** true when the chain already had this owner's record of the content (a publish resumed): no new tx, no new payment */
  resumed: boolean;
  uploads: Array<{ nodeId: bigint; ok: boolean; outcome?: "stored" | "held"; error?: string }>;
}

export interface PublishOptions {
  replication: number;
  regions: string[];
  epochs: bigint;
  fee: StdFee | "auto" | number;
  /** the content's media type as nodes serve it (client/content/media-type.ts mediaTypeOf guesses one from a file name) */
  mediaType?: string;
  /** the source's root, size and chunk size when already computed (a prepared collection): not hashed again */
  info?: ContentInfo;
  /** hashing (phase "hash") and each node's upload (phase "upload", with its id) as bytes go by */
  onProgress?: (p: { phase: "hash" | "upload"; nodeId?: bigint; bytes: number; size: number }) => void;
}

/**
 * Publishes content on the CDN for `epochs` epochs: a file (read and uploaded as a stream,
 * any size), bytes in memory, or any ContentSource (a collection: client/content/collection-source.ts). It is chunked with the chain's chunk size, recorded on chain
 * (MsgPublishContent; the chain assigns replica nodes and holds the term's storage payment
 * from the escrow) and uploaded to each assigned node (PUT /content/<root>, which the node
 * checks against the chain). Run again after an interruption, it finds the owner's record
 * of the same root on chain and only resumes the uploads.
 */
export async function publishContent(client: SigningStargateClient, q: PublishQuery, owner: string, data: Uint8Array | string | ContentSource, o: PublishOptions): Promise<PublishResult> {
  const { params } = await q.aro.market.Params({});
  const source = typeof data === "string" ? fileSource(data) : data instanceof Uint8Array ? bytesSource(data) : data;
  const content: ContentInfo = o.info ?? await contentInfoOf(source, params!.chunkSize, (bytes, size) => o.onProgress?.({ phase: "hash", bytes, size }));
  const known = await q.aro.market.ContentByRoot({ root: content.root }).then((r) => r.content).catch(() => undefined);
  let contentId: bigint;
  let replicas: bigint[];
  const resumed = !!known && known.owner === owner && !known.expired && known.size === BigInt(content.size);
  if (resumed) {
    ({ id: contentId, replicas } = known!);
  } else {
    const msg = { owner, root: content.root, size: BigInt(content.size), replication: o.replication, regions: o.regions, epochs: o.epochs, mediaType: o.mediaType ?? "" };
    const r = await client.signAndBroadcast(owner, [{ typeUrl: "/aro.market.v1.MsgPublishContent", value: msg }], o.fee);
    if (r.code !== 0) throw new Error(`publish refused (${r.code}): ${r.rawLog}`);
    ({ contentId, replicas } = MsgPublishContentResponse.decode(r.msgResponses[0].value));
  }
  const uploads = await Promise.all(replicas.map(async (nodeId) => {
    try {
      const node = (await q.aro.peernode.Node({ nodeId })).node!;
      if (node.endpoints.length === 0) throw new Error("the node lists no HTTP endpoint");
      const outcome = await uploadContent(source, { url: node.endpoints[0], root: content.root, size: content.size }, { onProgress: (bytes) => o.onProgress?.({ phase: "upload", nodeId, bytes, size: content.size }) });
      return { nodeId, ok: true, outcome };
    } catch (err) {
      return { nodeId, ok: false, error: (err as Error).message };
    }
  }));
  return { contentId, root: content.root, cid: contentCid(content.root).toString(), size: content.size, replicas, resumed, uploads };
}
