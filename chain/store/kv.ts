/** Keys are strings ("<module>/<table>/<parts>"), values raw bytes. */

/** The longest key (UTF-8 bytes) the state holds; a longer one cannot exist, so reading it finds nothing. */
export const MAX_KEY_BYTES = 1024;
export interface KVReader {
  get(key: string): Uint8Array | undefined;
  /**
   * Entries whose key starts with prefix (and sorts before `end`, if given), in ascending
   * key order; with `range`, only keys >= range.from and at most range.limit entries.
   */
  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]>;
}

/** A window of an iteration: resume from a key, stop after a number of entries (bounded work per block). */
export interface KeyRange {
  readonly from?: string;
  readonly limit?: number;
}

/** Applies a KeyRange to a sorted entry list (for readers that cannot seek). */
export function applyRange<T extends [string, unknown]>(entries: T[], range?: KeyRange): T[] {
  if (!range) return entries;
  const from = range.from;
  const start = from === undefined ? 0 : entries.findIndex(([k]) => k >= from);
  const sliced = start < 0 ? [] : entries.slice(start);
  return range.limit === undefined ? sliced : sliced.slice(0, range.limit);
}

export interface KVStore extends KVReader {
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
}

/** A write to apply: undefined value means delete. */
export type Write = readonly [key: string, value: Uint8Array | undefined];

export function prefixEnd(prefix: string): string {
  return prefix + "\uffff";
}
