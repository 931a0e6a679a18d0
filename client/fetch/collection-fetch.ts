import { findFile, parseDirectory, parseTrailer, TRAILER_BYTES, type CollectionFile, type Directory } from "../content/collection.ts";
import { download, type ByteWindow, type DownloadOptions, type DownloadResult } from "./downloader.ts";

/** What a ranged fetch needs: a download's options without the range. */
export type PartOptions = Omit<DownloadOptions, "range">;

/** Downloads merged: every chunk each source served, every source dropped. */
function merge(results: DownloadResult[]): DownloadResult {
  const servedBy = new Map<string, number[]>();
  for (const r of results) for (const [id, chunks] of r.servedBy) servedBy.set(id, [...(servedBy.get(id) ?? []), ...chunks].sort((a, b) => a - b));
  const last = results[results.length - 1];
  return { ...last, servedBy, dropped: results.flatMap((r) => r.dropped), resumed: results.reduce((n, r) => n + r.resumed, 0) };
}

/** The directory of a collection: only the chunks under its trailer and its directory are fetched (each checked against the root). */
export async function fetchDirectory(o: PartOptions): Promise<{ directory: Directory; result: DownloadResult }> {
  const trailer = await download({ ...o, range: (c) => ({ start: Math.max(0, c.size - TRAILER_BYTES), end: c.size }) });
  const size = trailer.content.size;
  const where = parseTrailer(o.store.read(o.root, size - TRAILER_BYTES, size), size);
  const dir = await download({ ...o, range: { start: where.offset, end: where.offset + where.length } });
  return { directory: parseDirectory(o.store.read(o.root, where.offset, where.offset + where.length), where.offset), result: merge([trailer, dir]) };
}

/**
 * One file of a collection by path, or one byte range of it (`range`, relative to the
 * file: one tensor of a safetensors shard): only the chunks under it are fetched, each
 * checked against the collection's root. The bytes are then in the store at `window`
 * (read them with `store.pieces(root, window.start, window.end)`).
 */
export async function fetchCollectionFile(o: PartOptions & { path: string; range?: ByteWindow }): Promise<{ file: CollectionFile; window: ByteWindow; result: DownloadResult }> {
  const { directory, result: dirResult } = await fetchDirectory(o);
  const file = findFile(directory, o.path);
  if (!file) throw new Error(`the collection ${o.root} has no file ${JSON.stringify(o.path)}`);
  const r = o.range ?? { start: 0, end: file.size };
  if (!(r.start >= 0 && r.start < r.end && r.end <= file.size)) throw new Error(`range ${r.start}..${r.end} is not within ${file.path}'s ${file.size} bytes`);
  const window = { start: file.offset + r.start, end: file.offset + r.end };
  const part = await download({ ...o, range: window });
  return { file, window, result: merge([dirResult, part]) };
}
