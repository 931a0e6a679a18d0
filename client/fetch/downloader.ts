import type { Blockstore } from "../content/blockstore.ts";
import { verifiedManifest, type ContentInfo } from "../content/manifest.ts";
import type { ChunkSource, ProvenChunk } from "./source.ts";
import { sharedHashPool, type HashPool } from "./hash-pool.ts";
import { runLimit } from "./chunk-run.ts";
import { BufferPool } from "../content/buffer-pool.ts";

export interface DownloadProgress {
  root: string;
  chunksDone: number;
  chunksTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** sources still in use */
  sources: number;
}

export interface DroppedSource {
  id: string;
  reason: "corrupt" | "slow" | "failed";
  detail: string;
}

/** Bytes [start, end) of a content. */
export interface ByteWindow {
  start: number;
  end: number;
}

export interface DownloadOptions {
  root: string;
  sources: readonly ChunkSource[];
  store: Blockstore;
  /** parallel chunk requests per source */
  perSource?: number;
  /** a chunk not delivered within this many ms marks its source slow */
  chunkTimeoutMs?: number;
  /** only the chunks under these bytes [start, end) (a file of a collection, one tensor of a shard); the content is finished only once every chunk is there */
  range?: ByteWindow | ((c: ContentInfo) => ByteWindow);
  /** where chunk hashes are computed (default: the process's shared pool of worker threads, hash-pool.ts) */
  hashPool?: HashPool;
  /** size and chunk size from a trusted place (the chain): a source's manifest must agree */
  expected?: { size: number; chunkSize: number };
  onProgress?: (p: DownloadProgress) => void;
  onDrop?: (d: DroppedSource) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  content: ContentInfo;
  /** chunk indices each source delivered (verified), by source id */
  servedBy: Map<string, number[]>;
  dropped: DroppedSource[];
  /** chunks already on disk from an interrupted download */
  resumed: number;
  /** median time a source took to deliver one chunk (ms), by source id */
  chunkMs: Map<string, number>;
  /** whether the whole content is now in the store (always, unless a `range` was asked for) */
  complete: boolean;
}

/**
 * Multi-source download: different chunks from several nodes in parallel, each chunk
 * checked with its audit path against the content root before it is stored (written in
 * place in the store's data file). A source that sends a corrupt chunk, or is too slow,
 * or fails, is dropped and its chunks fetched from another. Chunks already on disk (an
 * interrupted download) are not fetched again. Memory: a bitmap of the chunks, the chunks
 * in flight (sources × perSource), and each source's list of chunk indices it served.
 */
export async function download(opts: DownloadOptions): Promise<DownloadResult> {
  const { root, store } = opts;
  const perSource = opts.perSource ?? 2;
  const hashes = opts.hashPool ?? sharedHashPool();
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
  if (opts.expected && (opts.expected.size !== content.size || opts.expected.chunkSize !== content.chunkSize)) {
    throw new Error(`${root} is ${opts.expected.size} bytes in ${opts.expected.chunkSize}-byte chunks, not ${content.size} in ${content.chunkSize} as its manifest says`);
  }
  store.begin(content);
  const { bits, total: allChunks } = store.heldChunks(root);
  // a ranged fetch wants only the chunks under [start, end)
  const range = typeof opts.range === "function" ? opts.range(content) : opts.range;
  if (range && !(range.start >= 0 && range.start < range.end && range.end <= content.size)) throw new Error(`range ${range.start}..${range.end} is not within the content's ${content.size} bytes`);
  const first = range ? Math.floor(range.start / content.chunkSize) : 0;
  const end = range ? Math.ceil(range.end / content.chunkSize) : allChunks;
  const total = end - first;
  let heldCount = 0;
  let bytesDone = 0;
  for (let i = first; i < end; i++) {
    if (!(bits[i >> 3] & (1 << (i & 7)))) continue;
    heldCount++;
    bytesDone += chunkLength(content, i);
  }
  const resumed = heldCount;
  const queue = new ChunkQueue(bits, first, end, runLength(total - heldCount, live.size * perSource, content.chunkSize));
  const servedBy = new Map<string, number[]>();
  const times = new Map<string, number[]>();
  let chunksDone = heldCount;
  let bytesTotal = 0;
  for (let i = first; i < end; i++) bytesTotal += chunkLength(content, i);
  let inFlight = 0;
  const waiters: Array<() => void> = [];
  const changed = () => new Promise<void>((r) => waiters.push(r));
  const wake = () => waiters.splice(0).forEach((w) => w());
  const report = () => opts.onProgress?.({ root, chunksDone, chunksTotal: total, bytesDone, bytesTotal, sources: live.size });
  report();

  // received chunks land in reused buffers: enough for every run in flight to have a few chunks on their way
  const buffers = new BufferPool(content.chunkSize, Math.max(2, Math.min(live.size * perSource * 4, Math.floor(POOL_BYTES / content.chunkSize))));
  const take = (n: number) => buffers.take(n);
  // a worker takes a run of consecutive chunks (one request; few receipt ranges per node) and stores each as it arrives
  const worker = async (s: ChunkSource): Promise<void> => {
    while (live.has(s) && !opts.signal?.aborted) {
      const run = queue.take();
      if (!run) {
        if (inFlight === 0) return;
        await changed();
        continue;
      }
      inFlight++;
      // a run's chunks are hashed and written a few at a time while the next ones arrive
      const stored = new Uint8Array(run.count);
      const storing = new Set<Promise<void>>();
      let received = 0;
      let stop: RunStop | undefined;
      const store1 = async (index: number, got: ProvenChunk): Promise<void> => {
        let hashed: { data: Uint8Array; hash: Uint8Array };
        try {
          hashed = await hashes.hash(got.data, { transfer: true });
        } catch (err) {
          throw new RunStop("failed", err); // this side's hashing thread died: the chunk is fetched again
        }
        try {
          await store.writeChunkAsync(root, index, hashed.data, got.proof, hashed.hash);
        } catch (err) {
          throw new RunStop(/does not match|must be/.test((err as Error).message) ? "corrupt" : "failed", err);
        } finally {
          buffers.give(hashed.data);
        }
        stored[index - run.first] = 1;
        push(servedBy, s.id, index);
        chunksDone++;
        bytesDone += hashed.data.length; // got.data was moved to the hashing thread
        report();
      };
      try {
        await fetchRun(s, run.first, run.count, async (got) => {
          const p = store1(run.first + received++, got).catch((err: RunStop) => void (stop ??= err));
          storing.add(p);
          void p.finally(() => storing.delete(p));
          if (storing.size >= STORING_PER_RUN) await Promise.race(storing);
          return live.has(s) && !stop;
        });
        await Promise.all(storing);
        if (stop) throw stop;
        if (received < run.count && live.has(s) && !opts.signal?.aborted) throw new RunStop("failed", new Error(`sent ${received} of the ${run.count} chunks asked for`));
      } catch (err) {
        await Promise.all(storing);
        if (err instanceof RunStop) drop(s, err.reason, err.cause);
        else drop(s, (err as Error).name === "TimeoutError" ? "slow" : "failed", err);
      } finally {
        // whatever is not stored goes back, as runs of consecutive chunks
        for (let k = 0; k < run.count;) {
          if (stored[k]) {
            k++;
            continue;
          }
          const from = k;
          while (k < run.count && !stored[k]) k++;
          queue.giveBack({ first: run.first + from, count: k - from });
        }
        inFlight--;
        wake();
      }
    }
  };

  /** One run from `s`, each chunk handed to `use` (which says whether to go on); a chunk not in within the timeout is a TimeoutError. */
  const fetchRun = async (s: ChunkSource, first: number, count: number, use: (c: ProvenChunk) => Promise<boolean>): Promise<void> => {
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const slow = Object.assign(new Error(`no chunk within ${timeoutMs} ms`), { name: "TimeoutError" });
    let timer = setTimeout(() => stop.abort(slow), timeoutMs);
    let t0 = performance.now();
    try {
      for await (const got of s.chunks(root, first, count, signal, take)) {
        clearTimeout(timer);
        sample(times, s.id, performance.now() - t0);
        if (!(await use(got))) return;
        t0 = performance.now();
        timer = setTimeout(() => stop.abort(slow), timeoutMs);
      }
    } catch (err) {
      throw stop.signal.aborted && !opts.signal?.aborted ? slow : err;
    } finally {
      clearTimeout(timer);
    }
  };
  await Promise.all([...live].flatMap((s) => Array.from({ length: perSource }, () => worker(s))));
  opts.signal?.throwIfAborted();
  if (chunksDone < total) {
    throw new Error(`download of ${root} stopped with ${total - chunksDone} of ${total} chunks missing (resumable): every source was dropped: ${dropped.map((d) => `${d.id} ${d.reason} (${d.detail})`).join("; ")}`);
  }
  const complete = !range || store.heldChunks(root).count === allChunks;
  if (complete) store.finish(root);
  for (const list of servedBy.values()) list.sort((a, b) => a - b);
  const chunkMs = new Map([...times].filter(([id]) => servedBy.has(id)).map(([id, t]) => [id, t.sort((a, b) => a - b)[Math.floor(t.length / 2)]]));
  return { content, servedBy, dropped, resumed, chunkMs, complete };
}

/** Chunks of one run being hashed and written at once (the run's next chunks arrive meanwhile). */
const STORING_PER_RUN = 4;
/** The most memory a download keeps in reused chunk buffers. */
const POOL_BYTES = 16 * 1024 * 1024;

/** Chunks per run: a few runs per worker for small contents, at most 16 (4 MiB of 256 KiB chunks) and what a node serves in one run. */
function runLength(missing: number, workers: number, chunkSize: number): number {
  return Math.max(1, Math.min(16, runLimit(chunkSize), Math.floor(missing / Math.max(1, workers * 4))));
}

/** Why a run stopped on this side's account of a chunk (not the source's transport). */
class RunStop extends Error {
  constructor(readonly reason: DroppedSource["reason"], override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

interface Run {
  first: number;
  count: number;
}

/** The chunks still to fetch: a cursor over the held-chunk bitmap (runs of consecutive missing chunks), and runs given back by dropped sources first. */
class ChunkQueue {
  private readonly retry: Run[] = [];

  private next: number;

  constructor(private readonly held: Uint8Array, first: number, private readonly end: number, private readonly run: number) {
    this.next = first;
  }

  take(): Run | undefined {
    const back = this.retry.pop();
    if (back) return back;
    while (this.next < this.end && this.has(this.next)) this.next++;
    if (this.next >= this.end) return undefined;
    const first = this.next;
    while (this.next < this.end && this.next - first < this.run && !this.has(this.next)) this.next++;
    return { first, count: this.next - first };
  }

  giveBack(run: Run): void {
    if (run.count > 0) this.retry.push(run);
  }

  private has(i: number): boolean {
    return (this.held[i >> 3] & (1 << (i & 7))) !== 0;
  }
}

/** Keeps the last 1024 chunk times per source (the median of those is reported). */
function sample(m: Map<string, number[]>, key: string, ms: number): void {
  const list = m.get(key) ?? [];
  if (list.length >= 1024) list.shift();
  list.push(ms);
  m.set(key, list);
}

async function fetchManifest(opts: DownloadOptions, live: Set<ChunkSource>, drop: (s: ChunkSource, r: DroppedSource["reason"], e: unknown) => void, timeoutMs: number): Promise<ContentInfo> {
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

function chunkLength(c: ContentInfo, index: number): number {
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
