import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { getBytes } from "./http-get.ts";
import { MAX_CHUNK_SIZE, verifiedManifest } from "./manifest.ts";

/** What one probe of a node found. */
export interface ProbeResult {
  answered: boolean;
  latencyMs: number;
  /** the random chunk of the content asked about: served and matching its root, or not */
  chunk?: "passed" | "failed";
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * One probe of a node's PeerDTS HTTP endpoint: a timed GET /health it must answer and,
 * when `root` is given, a random chunk of that content checked against the root (through
 * the node's manifest, itself checked against the root). Used by keepers (attestations)
 * and by routing (before it believes a client's report that a node failed).
 */
export async function probeHttp(url: string, root: string | undefined, o: { timeoutMs: number; pick?: (n: number) => number }): Promise<ProbeResult> {
  const pick = o.pick ?? ((n: number) => Math.floor(Math.random() * n));
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
  try {
    const mres = await getBytes(`${base}/manifest/${root}`, { signal: AbortSignal.timeout(o.timeoutMs), maxBytes: MAX_MANIFEST_BYTES });
    if (mres.status !== 200) return { answered: true, latencyMs, chunk: "failed" };
    const m = verifiedManifest(root, JSON.parse(mres.body.toString("utf8")));
    const index = pick(m.chunkHashes.length);
    const cres = await getBytes(`${base}/chunk/${root}/${index}`, { signal: AbortSignal.timeout(o.timeoutMs), maxBytes: MAX_CHUNK_SIZE });
    const ok = cres.status === 200 && Buffer.from(chunkHash(cres.body)).equals(Buffer.from(m.chunkHashes[index]));
    return { answered: true, latencyMs, chunk: ok ? "passed" : "failed" };
  } catch {
    return { answered: true, latencyMs, chunk: "failed" };
  }
}
