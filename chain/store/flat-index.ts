import type { Database } from "lmdb";
import { MAX_KEY_BYTES, prefixEnd, type KeyRange } from "./kv.ts";
import { FAST, fastKey } from "./layout.ts";
import { bytesPrefixEnd } from "./version-reader.ts";

/**
 * The flat index of the latest committed values (cosmos/iavl's "fast nodes"): one
 * lookup per read instead of a walk down a tree. No key is longer than MAX_KEY_BYTES,
 * which LMDB could not hold: reading one finds nothing, and longer range bounds are cut.
 */
const utf8 = new TextEncoder();
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const tooLong = (key: string): boolean => key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key) > MAX_KEY_BYTES;
/** A bound cut to MAX_KEY_BYTES (a prefix of it, so it sorts at or before it). */
const cut = (key: string): string => {
  if (!tooLong(key)) return key;
  const b = Buffer.from(key);
  let n = MAX_KEY_BYTES;
  while (n > 0 && (b[n] & 0xc0) === 0x80) n--; // not inside a character
  return b.subarray(0, n).toString("utf8");
};

/** The latest committed value of a key (nothing for a key longer than any stored). */
export function flatGet(db: Database<Buffer, Buffer>, key: string): Uint8Array | undefined {
  if (tooLong(key)) return undefined;
  const v = db.get(fastKey(key));
  return v ? view(v) : undefined;
}

/** The flat index in [prefix, end) from range.from, merged with `staged` writes (undefined: deleted) when given. */
export function flatRange(db: Database<Buffer, Buffer>, prefix: string, end: string | undefined, range: KeyRange | undefined, staged?: ReadonlyMap<string, Uint8Array | undefined>): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  const limit = range?.limit ?? Infinity;
  if (limit <= 0) return out;
  const lo = range?.from !== undefined && range.from > prefix ? range.from : prefix;
  const bounded = end !== undefined && end < prefixEnd(prefix);
  const hi = bounded ? end : prefixEnd(prefix);
  if (lo >= hi || tooLong(prefix)) return out;
  // no key is longer than MAX_KEY_BYTES: cut longer bounds (and skip what sorts before `lo`)
  const start = fastKey(cut(lo));
  const stop = bounded ? (tooLong(end) ? Buffer.concat([fastKey(cut(end)), Uint8Array.of(0)]) : fastKey(end)) : Buffer.concat([Uint8Array.of(FAST), bytesPrefixEnd(utf8.encode(prefix))]);
  const overlay = staged ? [...staged].filter(([k]) => k >= lo && k < hi && k.startsWith(prefix)).sort((a, b) => (a[0] < b[0] ? -1 : 1)) : [];
  let i = 0;
  const emitStagedBefore = (k: string | undefined): boolean => {
    while (i < overlay.length && (k === undefined || overlay[i][0] < k)) {
      const [sk, sv] = overlay[i++];
      if (sv !== undefined) out.push([sk, sv]);
      if (out.length >= limit) return false;
    }
    return true;
  };
  for (const { key, value } of db.getRange({ start, end: stop })) {
    const k = key.subarray(1).toString("utf8");
    if (k < lo) continue;
    if (!emitStagedBefore(k)) return out;
    if (i < overlay.length && overlay[i][0] === k) {
      const sv = overlay[i++][1];
      if (sv !== undefined) out.push([k, sv]);
    } else out.push([k, view(value)]);
    if (out.length >= limit) return out;
  }
  emitStagedBefore(undefined);
  return out;
}
