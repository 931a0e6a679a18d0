import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { challengeFailure, newNonce } from "./challenge.ts";
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
  /** why the node did not count as answering */
  failure?: string;
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
 * One probe of a node's PeerDTS HTTP endpoint, used by keepers (attestations) and by
 * routing (before it believes a client's report that a node failed): a timed small task
 * it must answer — with `peerId` (the one the node registered), sign a fresh nonce with
 * that peer's key (GET /challenge); without, GET /health — and, when `root` is given, a
 * random chunk of that content checked against the root.
 */
export async function probeHttp(url: string, root: string | undefined, o: { timeoutMs: number; peerId?: string }): Promise<ProbeResult> {
  const base = url.replace(/\/$/, "");
  const t0 = performance.now();
  try {
    const signal = AbortSignal.timeout(o.timeoutMs);
    if (o.peerId !== undefined) {
      const nonce = newNonce();
      const r = await getBytes(`${base}/challenge?nonce=${Buffer.from(nonce).toString("hex")}`, { signal, maxBytes: 4096 });
      if (r.status !== 200) return { answered: false, latencyMs: 0, failure: `challenge: HTTP ${r.status}` };
      const failure = await challengeFailure(parseJson(r.body), o.peerId, nonce);
      if (failure) return { answered: false, latencyMs: 0, failure: `challenge: ${failure}` };
    } else {
      const h = await getBytes(`${base}/health`, { signal, maxBytes: 4096 });
      if (h.status !== 200) return { answered: false, latencyMs: 0, failure: `health: HTTP ${h.status}` };
    }
  } catch (err) {
    return { answered: false, latencyMs: 0, failure: (err as Error).message };
  }
  const latencyMs = Math.round(performance.now() - t0);
  if (root === undefined) return { answered: true, latencyMs };
  return { answered: true, latencyMs, chunk: await checkRandomChunk(new HttpChunkSource(base, base), root, AbortSignal.timeout(o.timeoutMs)) };
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    return undefined;
  }
}
