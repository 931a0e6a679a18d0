import type { ExportNode } from "../store/iavl/export.ts";
import { Reader, Writer } from "../store/iavl/node.ts";

/**
 * Snapshot format 1: a stream of items, each store's name then its IAVL nodes in
 * post-order (enough to rebuild the trees exactly), cut into chunks of CHUNK_BYTES and
 * each chunk deflated. The metadata lists every chunk's sha256, so a restoring node
 * refuses a chunk that differs from what the snapshot's hash commits to.
 *
 *   item = 0x01 uvarint(len) name
 *        | 0x02 zz(height) zz(version) uvarint(len) key [uvarint(len) value, leaves only]
 */
export const SNAPSHOT_FORMAT = 1;
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** What one chunk may inflate to, and the most a half-read item may hold: a peer's stream cannot make a node buffer more. */
export const MAX_ITEM_BYTES = 64 * 1024 * 1024;

export type SnapshotItem = { store: string } | ExportNode;

const utf8 = new TextEncoder();
const dec = new TextDecoder();

export function encodeItem(item: SnapshotItem): Uint8Array {
  const w = new Writer();
  if ("store" in item) return w.uvarint(1).bytes(utf8.encode(item.store)).finish();
  w.uvarint(2).zz(item.height).zz(item.version).bytes(item.key);
  if (item.height === 0) w.bytes(item.value!);
  return w.finish();
}

/** Parses items out of a stream that arrives in pieces (an item may span two chunks). */
export class ItemDecoder {
  private rest: Uint8Array = new Uint8Array();

  push(bytes: Uint8Array): SnapshotItem[] {
    const buf = this.rest.length ? Buffer.concat([this.rest, bytes]) : bytes;
    const out: SnapshotItem[] = [];
    let pos = 0;
    for (;;) {
      const r = new Reader(buf.subarray(pos));
      let item: SnapshotItem;
      try {
        const tag = r.uvarint();
        if (tag === 1) item = { store: dec.decode(r.bytes()) };
        else if (tag === 2) {
          const height = r.zz();
          const version = r.zz();
          const key = Uint8Array.from(r.bytes());
          item = height === 0 ? { height, version, key, value: Uint8Array.from(r.bytes()) } : { height, version, key };
          if (height < 0 || height > 128) throw new Error(`snapshot: node height ${height}`);
        } else throw new Error(`snapshot: unknown item tag ${tag}`);
      } catch (err) {
        if (err instanceof RangeError) break; // incomplete: wait for the next chunk
        throw err;
      }
      out.push(item);
      pos += r.offset;
    }
    this.rest = Uint8Array.from(buf.subarray(pos));
    if (this.rest.length > MAX_ITEM_BYTES) throw new Error(`snapshot: an item longer than ${MAX_ITEM_BYTES} bytes`);
    return out;
  }

  /** True when nothing is left half-read. */
  get done(): boolean {
    return this.rest.length === 0;
  }
}

/** What a snapshot's metadata (ABCI Snapshot.metadata) holds. */
export interface SnapshotMetadata {
  readonly chunkHashes: string[];
}

export function encodeMetadata(m: SnapshotMetadata): Uint8Array {
  return utf8.encode(JSON.stringify(m));
}

export function decodeMetadata(b: Uint8Array): SnapshotMetadata {
  const m = JSON.parse(dec.decode(b)) as SnapshotMetadata;
  if (!Array.isArray(m.chunkHashes) || m.chunkHashes.some((h) => typeof h !== "string" || !/^[0-9a-f]{64}$/.test(h))) throw new Error("snapshot metadata: chunkHashes must be sha256 hex strings");
  return m;
}
