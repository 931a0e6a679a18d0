import { request } from "undici";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { getBytes, type HttpBytes } from "./http-get.ts";
import { proofFromHex } from "../content/proof-hex.ts";
import { MAX_CHUNK_SIZE, MAX_MANIFEST_BYTES } from "../content/manifest.ts";
import { DtsError } from "./dts-error.ts";
import { getChunkRun } from "./http-run.ts";
import type { ChunkSource, ProvenChunk, SourceFor } from "./source.ts";

/** The response header a node sends a chunk's audit path in (hex, see proof-hex.ts). */
export const PROOF_HEADER = "x-aro-proof";

/** A node reached over its PeerDTS HTTP endpoint. */
export class HttpChunkSource implements ChunkSource {
  constructor(private readonly baseUrl: string, readonly id: string) {}

  private async get(path: string, signal: AbortSignal, maxBytes: number): Promise<HttpBytes> {
    const res = await getBytes(`${this.baseUrl}${path}`, { signal, maxBytes, headers: [PROOF_HEADER] });
    if (res.status !== 200) throw new DtsError(res.status, `${this.id}: ${res.body.toString("utf8").trim()}`);
    return res;
  }

  async manifest(root: string, signal: AbortSignal): Promise<unknown> {
    return JSON.parse((await this.get(`/manifest/${root}`, signal, MAX_MANIFEST_BYTES)).body.toString("utf8"));
  }

  async chunk(root: string, index: number, signal: AbortSignal): Promise<ProvenChunk> {
    const res = await this.get(`/chunk/${root}/${index}`, signal, MAX_CHUNK_SIZE);
    return { data: res.body, proof: proofFromHex(res.headers[PROOF_HEADER] ?? "") };
  }

  async *chunks(root: string, first: number, count: number, signal: AbortSignal, alloc?: (length: number) => Uint8Array): AsyncGenerator<ProvenChunk> {
    try {
      yield* getChunkRun(`${this.baseUrl}/chunks/${root}/${first}/${count}`, count, signal, alloc);
    } catch (err) {
      if (err instanceof DtsError) throw new DtsError(err.status, `${this.id}: ${err.message}`);
      throw err;
    }
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
