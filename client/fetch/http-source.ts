import { request } from "undici";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { getBytes } from "./http-get.ts";
import { MAX_CHUNK_SIZE, MAX_MANIFEST_BYTES } from "../content/manifest.ts";
import { DtsError } from "./dts-error.ts";
import type { ChunkSource, SourceFor } from "./source.ts";

/** A node reached over its PeerDTS HTTP endpoint. */
export class HttpChunkSource implements ChunkSource {
  constructor(private readonly baseUrl: string, readonly id: string) {}

  private async get(path: string, signal: AbortSignal, maxBytes: number): Promise<Buffer> {
    const res = await getBytes(`${this.baseUrl}${path}`, { signal, maxBytes });
    if (res.status !== 200) throw new DtsError(res.status, `${this.id}: ${res.body.toString("utf8").trim()}`);
    return res.body;
  }

  async manifest(root: string, signal: AbortSignal): Promise<unknown> {
    return JSON.parse((await this.get(`/manifest/${root}`, signal, MAX_MANIFEST_BYTES)).toString("utf8"));
  }

  chunk(root: string, index: number, signal: AbortSignal): Promise<Uint8Array> {
    return this.get(`/chunk/${root}/${index}`, signal, MAX_CHUNK_SIZE);
  }

  async sendReceipt(receipt: Receipt, signal: AbortSignal): Promise<void> {
    const res = await request(`${this.baseUrl}/receipt`, { method: "POST", body: Receipt.encode(receipt).finish(), signal });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new DtsError(res.statusCode, `${this.id} refused the receipt: ${text.trim()}`);
  }

  async close(): Promise<void> {}
}

/** A node over its first HTTP endpoint, when it lists one. */
export const httpSourceFor: SourceFor = (node) => (node.endpoints.length > 0 ? new HttpChunkSource(node.endpoints[0].replace(/\/$/, ""), node.id.toString()) : undefined);
