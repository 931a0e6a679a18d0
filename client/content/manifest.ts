import { isContentRoot } from "./cid.ts";

export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Chunks one content may have (2^26: 16 TiB of 256 KiB chunks; its tree file is then 4 GiB). */
export const MAX_CONTENT_CHUNKS = 2 ** 26;
/** A manifest is three numbers and a root: anything longer is not one. */
export const MAX_MANIFEST_BYTES = 4096;

/**
 * What a content is, apart from its bytes: the root the chain knows it by, its size and
 * the chunk size its tree is cut with. Chunk hashes are not listed: each chunk travels
 * with its audit path to the root, so a manifest stays this small whatever the size.
 */
export interface ContentInfo {
  readonly root: string;
  readonly size: number;
  readonly chunkSize: number;
}

/** A manifest as it travels (JSON). */
export interface ManifestJson {
  root: string;
  size: number;
  chunkSize: number;
}

export function manifestToJson(c: ContentInfo): ManifestJson {
  return { root: c.root, size: c.size, chunkSize: c.chunkSize };
}

/** Chunks a content of this size has. */
export const chunkCount = (c: Pick<ContentInfo, "size" | "chunkSize">): number => Math.ceil(c.size / c.chunkSize);

/**
 * Parses a manifest from an untrusted peer: a well-formed one for `root`. Whether size and
 * chunk size are true shows with the first chunk: its audit path only leads to the root
 * in a tree of the right number of chunks (and a client that asks the chain checks the size there).
 */
export function verifiedManifest(root: string, raw: unknown): ContentInfo {
  const m = raw as Partial<ManifestJson>;
  if (!m || typeof m !== "object") throw new Error("manifest is not an object");
  if (m.root !== undefined && m.root !== root) throw new Error(`manifest is for ${String(m.root).slice(0, 64)}, not ${root}`);
  if (!isContentRoot(root)) throw new Error(`content root must be 64 hex digits, got ${JSON.stringify(root)}`);
  if (!Number.isSafeInteger(m.size) || m.size! <= 0) throw new Error("manifest size must be a positive integer");
  if (!Number.isSafeInteger(m.chunkSize) || m.chunkSize! <= 0 || m.chunkSize! > MAX_CHUNK_SIZE) throw new Error(`manifest chunk size must be 1..${MAX_CHUNK_SIZE}`);
  if (chunkCount({ size: m.size!, chunkSize: m.chunkSize! }) > MAX_CONTENT_CHUNKS) throw new Error(`manifest describes more than ${MAX_CONTENT_CHUNKS} chunks`);
  return { root, size: m.size!, chunkSize: m.chunkSize! };
}

/** Byte range [start, end) of chunk `index`. */
export function chunkRange(c: Pick<ContentInfo, "size" | "chunkSize">, index: number): { start: number; end: number } {
  const start = index * c.chunkSize;
  return { start, end: Math.min(c.size, start + c.chunkSize) };
}
