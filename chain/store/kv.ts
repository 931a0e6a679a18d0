/** Keys are strings ("<module>/<table>/<parts>"), values raw bytes. */
export interface KVReader {
  get(key: string): Uint8Array | undefined;
  /** Entries whose key starts with prefix (and sorts before `end`, if given), in ascending key order. */
  iterate(prefix: string, end?: string): Array<[string, Uint8Array]>;
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
