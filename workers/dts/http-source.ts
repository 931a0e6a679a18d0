import { request } from "undici";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { DtsError } from "./service.ts";
import type { ChunkSource } from "./source.ts";

/** A node reached over its PeerDTS HTTP endpoint. */
export class HttpChunkSource implements ChunkSource {
  constructor(private readonly baseUrl: string, readonly id: string) {}

  private async get(path: string, signal: AbortSignal): Promise<Uint8Array> {
    const res = await request(`${this.baseUrl}${path}`, { signal });
    const body = new Uint8Array(await res.body.arrayBuffer());
    if (res.statusCode !== 200) throw new DtsError(res.statusCode, `${this.id}: ${Buffer.from(body).toString("utf8").trim()}`);
    return body;
  }

  async manifest(root: string, signal: AbortSignal): Promise<unknown> {
    return JSON.parse(Buffer.from(await this.get(`/manifest/${root}`, signal)).toString("utf8"));
  }

  chunk(root: string, index: number, signal: AbortSignal): Promise<Uint8Array> {
    return this.get(`/chunk/${root}/${index}`, signal);
  }

  async sendReceipt(receipt: Receipt, signal: AbortSignal): Promise<void> {
    const res = await request(`${this.baseUrl}/receipt`, { method: "POST", body: Receipt.encode(receipt).finish(), signal });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new DtsError(res.statusCode, `${this.id} refused the receipt: ${text.trim()}`);
  }

  async close(): Promise<void> {}
}
