import { chunkRoot } from "../../chain/proofs/chunk-tree.ts";
import type { ChunkedContent } from "./chunks.ts";

export const MAX_CHUNK_SIZE = 4 * 1024 * 1024;
/** a manifest lists 32 bytes (as hex) per chunk: 16 MiB covers contents of many GiB */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** A manifest as it travels (JSON): chunk hashes in hex. */
export interface ManifestJson {
  root: string;
  size: number;
  chunkSize: number;
  chunkHashes: string[];
}

export function manifestToJson(c: ChunkedContent): ManifestJson {
  return { root: c.root, size: c.size, chunkSize: c.chunkSize, chunkHashes: c.chunkHashes.map((h) => Buffer.from(h).toString("hex")) };
}

/**
 * Parses a manifest from an untrusted peer and checks it really describes `root`:
 * the chunk hashes must rebuild the root and agree with size and chunk size.
 */
export function verifiedManifest(root: string, raw: unknown): ChunkedContent {
  const m = raw as Partial<ManifestJson>;
  if (!m || typeof m !== "object") throw new Error("manifest is not an object");
  if (!Number.isSafeInteger(m.size) || m.size! <= 0) throw new Error("manifest size must be a positive integer");
  if (!Number.isSafeInteger(m.chunkSize) || m.chunkSize! <= 0 || m.chunkSize! > MAX_CHUNK_SIZE) throw new Error(`manifest chunk size must be 1..${MAX_CHUNK_SIZE}`);
  if (!Array.isArray(m.chunkHashes) || m.chunkHashes.some((h) => typeof h !== "string" || !/^[0-9a-f]{64}$/.test(h))) throw new Error("manifest chunk hashes must be 64-hex strings");
  const expected = Math.ceil(m.size! / m.chunkSize!);
  if (m.chunkHashes.length !== expected) throw new Error(`manifest lists ${m.chunkHashes.length} chunks, size and chunk size need ${expected}`);
  const chunkHashes = m.chunkHashes.map((h) => new Uint8Array(Buffer.from(h, "hex")));
  const rebuilt = Buffer.from(chunkRoot(chunkHashes)).toString("hex");
  if (rebuilt !== root) throw new Error(`manifest chunk hashes give root ${rebuilt}, not ${root}`);
  return { root, size: m.size!, chunkSize: m.chunkSize!, chunkHashes };
}

/** Byte range [start, end) of chunk `index`. */
export function chunkRange(c: ChunkedContent, index: number): { start: number; end: number } {
  const start = index * c.chunkSize;
  return { start, end: Math.min(c.size, start + c.chunkSize) };
}
