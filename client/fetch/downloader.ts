import type { Blockstore } from "../content/blockstore.ts";
import type { ChunkedContent } from "../content/chunks.ts";
import { verifiedManifest } from "../content/manifest.ts";
import type { ChunkSource } from "./source.ts";

export interface DownloadProgress {
  root: string;
  chunksDone: number;
  chunksTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface DroppedSource {
  id: string;
  reason: "corrupt" | "slow" | "failed";
  detail: string;
}

export interface DownloadOptions {
  root: string;
  sources: readonly ChunkSource[];
  store: Blockstore;
  /** parallel chunk requests per source */
  perSource?: number;
  /** a chunk not delivered within this many ms marks its source slow */
  chunkTimeoutMs?: number;
  onProgress?: (p: DownloadProgress) => void;
  onDrop?: (d: DroppedSource) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  content: ChunkedContent;
  /** chunk indices each source delivered (verified), by source id */
  servedBy: Map<string, number[]>;
  dropped: DroppedSource[];
  /** chunks already on disk from an interrupted download */
  resumed: number;
  /** median time a source took to deliver one chunk (ms), by source id */
  chunkMs: Map<string, number>;
}

/**
 * Multi-source download: different chunks from several nodes in parallel, each chunk
 * verified against the content root before it is stored. A source that sends a
 * corrupt chunk, or is too slow, or fails, is dropped and its chunk fetched from
 * another. Chunks already on disk (an interrupted download) are not fetched again.
 */
export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const { root, store } = opts;
  const perSource = opts.perSource ?? 2;
  const timeoutMs = opts.chunkTimeoutMs ?? 15_000;
  const dropped: DroppedSource[] = [];
  const live = new Set(opts.sources);
  const drop = (s: ChunkSource, reason: DroppedSource["reason"], err: unknown) => {
    if (!live.delete(s)) return;
    const d = { id: s.id, reason, detail: (err as Error)?.message ?? String(err) };
    dropped.push(d);
    opts.onDrop?.(d);
  };

  const content = store.manifest(root) ?? store.partial(root) ?? (await fetchManifest(opts, live, drop, timeoutMs));
  store.begin(content);
  const held = store.chunksHeld(root);
  const resumed = store.manifest(root) ? content.chunkHashes.length : held.size;
  const queue: number[] = [];
  for (let i = 0; i < content.chunkHashes.length; i++) if (!held.has(i)) queue.push(i);
  const servedBy = new Map<string, number[]>();
  const times = new Map<string, number[]>();
  let bytesDone = [...held].reduce((n, i) => n + chunkLength(content, i), 0);
  let chunksDone = held.size;
  let inFlight = 0;
  const waiters: Array<() => void> = [];
  const changed = () => new Promise<void>((r) => waiters.push(r));
  const wake = () => waiters.splice(0).forEach((w) => w());
  const report = () => opts.onProgress?.({ root, chunksDone, chunksTotal: content.chunkHashes.length, bytesDone, bytesTotal: content.size });
  report();

  const worker = async (s: ChunkSource): Promise<void> => {
    while (live.has(s) && !opts.signal?.aborted) {
      const index = queue.shift();
      if (index === undefined) {
        if (inFlight === 0) return;
        await changed();
        continue;
      }
      inFlight++;
      try {
        const t0 = performance.now();
        const data = await withTimeout((signal) => s.chunk(root, index, signal), timeoutMs, opts.signal);
        push(times, s.id, performance.now() - t0);
        try {
          store.writeChunk(root, index, data);
        } catch (err) {
          drop(s, "corrupt", err);
          queue.unshift(index);
          continue;
        }
        push(servedBy, s.id, index);
        chunksDone++;
        bytesDone += data.length;
        report();
      } catch (err) {
        drop(s, (err as Error).name === "TimeoutError" ? "slow" : "failed", err);
        queue.unshift(index);
      } finally {
        inFlight--;
        wake();
      }
    }
  };
  await Promise.all([...live].flatMap((s) => Array.from({ length: perSource }, () => worker(s))));
  opts.signal?.throwIfAborted();
  if (queue.length > 0) {
    throw new Error(`download of ${root} stopped with ${queue.length} of ${content.chunkHashes.length} chunks missing (resumable): every source was dropped: ${dropped.map((d) => `${d.id} ${d.reason} (${d.detail})`).join("; ")}`);
  }
  store.finish(root);
  for (const list of servedBy.values()) list.sort((a, b) => a - b);
  const chunkMs = new Map([...times].filter(([id]) => servedBy.has(id)).map(([id, t]) => [id, t.sort((a, b) => a - b)[Math.floor(t.length / 2)]]));
  return { content, servedBy, dropped, resumed, chunkMs };
}

async function fetchManifest(opts: DownloadOptions, live: Set<ChunkSource>, drop: (s: ChunkSource, r: DroppedSource["reason"], e: unknown) => void, timeoutMs: number): Promise<ChunkedContent> {
  for (const s of [...live]) {
    try {
      return verifiedManifest(opts.root, await withTimeout((signal) => s.manifest(opts.root, signal), timeoutMs, opts.signal));
    } catch (err) {
      const e = err as Error;
      drop(s, e.name === "TimeoutError" ? "slow" : e.message.includes("manifest") ? "corrupt" : "failed", err);
    }
  }
  throw new Error(`no source gave a manifest for ${opts.root}: ${opts.sources.length} tried`);
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

function chunkLength(c: ChunkedContent, index: number): number {
  return Math.min(c.chunkSize, c.size - index * c.chunkSize);
}

async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, outer?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  return await new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeout.aborted ? Object.assign(new Error(`no answer within ${ms} ms`), { name: "TimeoutError" }) : signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    run(signal).then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
