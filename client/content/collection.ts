/**
 * A collection: a folder published as one content (a model: config, tokenizer, shards; a
 * website). Its bytes are the files one after another, then the directory (JSON), then a
 * 16-byte trailer: the directory's offset (u64 BE), its length (u32 BE) and "ACL1". The
 * directory goes last so one pass over the files both hashes the content's chunk tree and
 * the files' sha256 it lists. A file is a byte range of the content: every chunk of it is
 * checked against the one root the chain knows, so a client fetching one file, or one
 * range of one file, fetches and checks only the chunks under it. No Node built-ins:
 * pages read collections too (client/web).
 */
export const COLLECTION_MEDIA_TYPE = "application/vnd.aro.collection+json";
export const TRAILER_BYTES = 16;
const MAGIC = "ACL1";
/** Bounds on what a directory may hold (a node parses directories from untrusted publishers). */
export const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
export const MAX_FILES = 100_000;
export const MAX_PATH_BYTES = 1024;

export interface CollectionFile {
  /** relative, "/"-separated, no "." or ".." or empty segments */
  path: string;
  /** where the file starts in the content */
  offset: number;
  size: number;
  mediaType: string;
  /** sha256 of the file's bytes, hex */
  sha256: string;
}

export interface Directory {
  files: CollectionFile[];
}

/** Why `p` cannot be a path in a collection, or undefined when it can. */
export function pathFault(p: string): string | undefined {
  if (typeof p !== "string" || p.length === 0) return "a path must be a non-empty string";
  if (new TextEncoder().encode(p).length > MAX_PATH_BYTES) return `a path is at most ${MAX_PATH_BYTES} bytes`;
  if (/[\u0000-\u001f\u007f\\]/.test(p)) return "a path has no control characters or backslashes";
  if (p.split("/").some((s) => s === "" || s === "." || s === "..")) return `path ${JSON.stringify(p.slice(0, 80))} has an empty, "." or ".." segment`;
  return undefined;
}

/** The directory and trailer bytes that end a collection whose files take `filesBytes` bytes. */
export function encodeDirectory(dir: Directory, filesBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ files: dir.files }));
  const out = new Uint8Array(json.length + TRAILER_BYTES);
  out.set(json);
  const trailer = new DataView(out.buffer, json.length, TRAILER_BYTES);
  trailer.setBigUint64(0, BigInt(filesBytes));
  trailer.setUint32(8, json.length);
  out.set(new TextEncoder().encode(MAGIC), json.length + 12);
  return out;
}

/** Reads a trailer (the content's last 16 bytes): where the directory is, or why this is not a collection. */
export function parseTrailer(trailer: Uint8Array, size: number): { offset: number; length: number } {
  if (trailer.length !== TRAILER_BYTES || new TextDecoder().decode(trailer.subarray(12, 16)) !== MAGIC) throw new Error("this content is not a collection (no directory trailer)");
  const view = new DataView(trailer.buffer, trailer.byteOffset, TRAILER_BYTES);
  const offset = Number(view.getBigUint64(0));
  const length = view.getUint32(8);
  if (length > MAX_DIRECTORY_BYTES || offset + length + TRAILER_BYTES !== size) throw new Error(`the collection's trailer does not fit its ${size} bytes`);
  return { offset, length };
}

/** Parses and checks a directory read from a content of `size` bytes whose files end at `filesEnd`. */
export function parseDirectory(json: Uint8Array, filesEnd: number): Directory {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch {
    throw new Error("the collection's directory is not JSON");
  }
  const files = (raw as { files?: unknown })?.files;
  if (!Array.isArray(files) || files.length > MAX_FILES) throw new Error(`the collection's directory must list at most ${MAX_FILES} files`);
  let prev = "";
  for (const f of files as CollectionFile[]) {
    const fault = pathFault(f?.path);
    if (fault) throw new Error(`the collection's directory: ${fault}`);
    if (f.path <= prev) throw new Error("the collection's directory must list paths sorted and once each");
    prev = f.path;
    if (!Number.isSafeInteger(f.offset) || !Number.isSafeInteger(f.size) || f.offset < 0 || f.size < 0 || f.offset + f.size > filesEnd) throw new Error(`the collection's file ${f.path} lies outside its files`);
    if (typeof f.mediaType !== "string" || f.mediaType.length > 127 || typeof f.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(f.sha256)) throw new Error(`the collection's file ${f.path} needs a media type and a sha256`);
  }
  return { files: files as CollectionFile[] };
}

/** The file at `path`, by binary search (the directory is sorted), or undefined. */
export function findFile(dir: Directory, path: string): CollectionFile | undefined {
  let lo = 0;
  let hi = dir.files.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = dir.files[mid].path;
    if (p === path) return dir.files[mid];
    if (p < path) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
