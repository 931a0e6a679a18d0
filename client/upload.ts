import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import type { ContentSource } from "./content/content-source.ts";

export interface UploadTarget {
  /** the node's PeerDTS HTTP endpoint */
  url: string;
  root: string;
  size: number;
}

/**
 * Uploads a content (a file, bytes, a collection) to one node (PUT /content/<root>), streamed from disk, resuming where the
 * node says it stands (HEAD /upload/<root>, `Upload-Offset`) — after an interruption in this
 * process (retried up to `attempts` times) or in an earlier one. Returns "stored" or "held".
 */
export async function uploadContent(source: ContentSource, t: UploadTarget, o: { attempts?: number; onProgress?: (bytes: number) => void; signal?: AbortSignal } = {}): Promise<"stored" | "held"> {
  const base = t.url.replace(/\/$/, "");
  const attempts = o.attempts ?? 5;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    o.signal?.throwIfAborted();
    try {
      const offset = await resumeOffset(base, t.root, o.signal);
      if (offset >= t.size) return "held";
      const headers: Record<string, string> = { "content-length": String(t.size - offset) };
      if (offset > 0) headers["content-range"] = `bytes ${offset}-${t.size - 1}/${t.size}`;
      let sent = offset;
      const body = Readable.from((async function* () {
        for await (const piece of source.open(offset)) {
          yield piece;
          o.onProgress?.((sent += piece.length));
        }
      })(), { objectMode: false });
      const res = await request(`${base}/content/${t.root}`, { method: "PUT", body, headers, signal: o.signal, headersTimeout: 0, bodyTimeout: 0 });
      const text = (await res.body.text()).trim();
      if (res.statusCode === 201) return "stored";
      if (res.statusCode === 200) return "held";
      const err = new Error(`${res.statusCode} ${text}`);
      // a refusal (wrong root, not assigned, too large) is final; a failure in transit is retried
      if (res.statusCode < 500 && res.statusCode !== 400 && res.statusCode !== 409) throw Object.assign(err, { final: true });
      lastError = err;
    } catch (err) {
      if ((err as { final?: boolean }).final || o.signal?.aborted) throw err;
      lastError = err as Error;
    }
    if (attempt < attempts) await sleep(Math.min(10_000, 250 * 2 ** attempt), undefined, { signal: o.signal });
  }
  throw new Error(`upload to ${base} failed after ${attempts} attempts: ${lastError?.message}`);
}

async function resumeOffset(base: string, root: string, signal?: AbortSignal): Promise<number> {
  const res = await request(`${base}/upload/${root}`, { method: "HEAD", signal });
  await res.body.dump();
  const v = Number(res.headers["upload-offset"]);
  return res.statusCode === 200 && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}
