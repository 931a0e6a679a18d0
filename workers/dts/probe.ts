import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { getBytes } from "./http-get.ts";
import { HttpChunkSource } from "./http-source.ts";
import { verifiedManifest } from "./manifest.ts";
import type { ChunkSource } from "./source.ts";

/** What one probe of a node found. */
export interface ProbeResult {
  answered: boolean;
  latencyMs: number;
  /** the random chunk of the content asked about: served and matching its root, or not */
  chunk?: "passed" | "failed";
}

/** A random chunk of `root` from the source, checked against the root (through the source's manifest, itself checked against the root). */
export async function checkRandomChunk(source: ChunkSource, root: string, signal: AbortSignal): Promise<"passed" | "failed"> {
  try {
    const m = verifiedManifest(root, await source.manifest(root, signal));
    const index = Math.floor(Math.random() * m.chunkHashes.length);
    const data = await source.chunk(root, index, signal);
    return Buffer.from(chunkHash(data)).equals(Buffer.from(m.chunkHashes[index])) ? "passed" : "failed";
  } catch {
    return "failed";
  }
}

/**
 * One probe of a node's PeerDTS HTTP endpoint: a timed GET /health it must answer and,
 * when `root` is given, a random chunk of that content checked against the root. Used by
 * keepers (attestations) and by routing (before it believes a client's report that a
 * node failed).
 */
export async function probeHttp(url: string, root: string | undefined, o: { timeoutMs: number }): Promise<ProbeResult> {
  const base = url.replace(/\/$/, "");
  const t0 = performance.now();
  try {
    const h = await getBytes(`${base}/health`, { signal: AbortSignal.timeout(o.timeoutMs), maxBytes: 4096 });
    if (h.status !== 200) return { answered: false, latencyMs: 0 };
  } catch {
    return { answered: false, latencyMs: 0 };
  }
  const latencyMs = Math.round(performance.now() - t0);
  if (root === undefined) return { answered: true, latencyMs };
  return { answered: true, latencyMs, chunk: await checkRandomChunk(new HttpChunkSource(base, base), root, AbortSignal.timeout(o.timeoutMs)) };
}
