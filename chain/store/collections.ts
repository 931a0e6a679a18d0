import type { KVReader, KVStore } from "./kv.ts";

/**
 * Typed collections over the string-keyed store, after the Cosmos SDK's `collections`:
 * a keeper declares its data model once (an Item per singleton, a Map per table, a KeySet
 * per index, a Sequence per counter) and reads as that model, not as key building and
 * decoding. The bytes stored are exactly those a hand-written keeper stored (same keys,
 * same encodings), so adopting a collection never moves the app hash.
 */

/** How a value is stored. */
export interface ValueCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** How a key (or key part) is written into the store key; must sort as the key should. */
export interface KeyCodec<K> {
  encode(key: K): string;
  decode(text: string): K;
}

interface ProtoMessage<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Fixed-width decimal: 20 digits hold any uint64 and sort numerically. */
export const padUint = (n: bigint): string => n.toString().padStart(20, "0");

export const values = {
  /** A protobuf message (ts-proto's generated type). */
  proto: <T>(type: ProtoMessage<T>): ValueCodec<T> => ({ encode: (v) => type.encode(v).finish(), decode: (b) => type.decode(b) }),
  /** A whole number as its decimal text. */
  bigint: { encode: (v: bigint) => utf8.encode(v.toString()), decode: (b: Uint8Array) => BigInt(fromUtf8.decode(b)) } as ValueCodec<bigint>,
  /** UTF-8 text. */
  string: { encode: (v: string) => utf8.encode(v), decode: (b: Uint8Array) => fromUtf8.decode(b) } as ValueCodec<string>,
  /** Raw bytes as they are. */
  bytes: { encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b } as ValueCodec<Uint8Array>,
};

export const keys = {
  /** Text as it is (must not hold the separator "/" when it is part of a composite key). */
  string: { encode: (k: string) => k, decode: (s: string) => s } as KeyCodec<string>,
  /** A uint64 as 20 padded digits, so iteration runs in numeric order. */
  uint: { encode: padUint, decode: (s: string) => BigInt(s) } as KeyCodec<bigint>,
  /** Two parts joined by "/" (the first must not hold "/"). */
  pair: <A, B>(a: KeyCodec<A>, b: KeyCodec<B>): KeyCodec<[A, B]> => ({
    encode: ([x, y]) => `${a.encode(x)}/${b.encode(y)}`,
    decode: (s) => {
      const cut = s.indexOf("/");
      return [a.decode(s.slice(0, cut)), b.decode(s.slice(cut + 1))];
    },
  }),
  /** Three parts joined by "/" (the first two must not hold "/"). */
  triple: <A, B, C>(a: KeyCodec<A>, b: KeyCodec<B>, c: KeyCodec<C>): KeyCodec<[A, B, C]> => ({
    encode: ([x, y, z]) => `${a.encode(x)}/${b.encode(y)}/${c.encode(z)}`,
    decode: (s) => {
      const i = s.indexOf("/");
      const j = s.indexOf("/", i + 1);
      return [a.decode(s.slice(0, i)), b.decode(s.slice(i + 1, j)), c.decode(s.slice(j + 1))];
    },
  }),
};

/** One value at one key (params, a singleton record). */
export class Item<T> {
  constructor(readonly key: string, private readonly codec: ValueCodec<T>, private readonly fallback?: T) {}

  /** The stored value, else the default given at declaration (undefined without one). */
  get(state: KVReader): T | undefined {
    const raw = state.get(this.key);
    return raw ? this.codec.decode(raw) : this.fallback;
  }
  /** The stored value, or throws `missing()` when there is none. */
  must(state: KVReader, missing: () => Error): T {
    const v = this.get(state);
    if (v === undefined) throw missing();
    return v;
  }
  has(state: KVReader): boolean {
    return state.get(this.key) !== undefined;
  }
  set(store: KVStore, value: T): void {
    store.set(this.key, this.codec.encode(value));
  }
  delete(store: KVStore): void {
    store.delete(this.key);
  }
}

/** An Item that always has a value: the stored one, else its default (so `get` never returns undefined). */
export class DefaultedItem<T> extends Item<T> {
  constructor(key: string, codec: ValueCodec<T>, readonly defaultValue: T) {
    super(key, codec, defaultValue);
  }
  override get(state: KVReader): T {
    return super.get(state) as T;
  }
}

/** The module's params: an Item with the defaults as fallback. */
export const paramsItem = <T>(key: string, type: ProtoMessage<T>, defaults: T): DefaultedItem<T> =>
  new DefaultedItem(key, values.proto(type), defaults);

/** Which entries of a map or set an iteration visits (bounded work per block: a resume key and a limit). */
export interface Range<K> {
  /** only keys whose encoding starts with this (e.g. the first part of a pair: `"aro1…/"`) */
  readonly prefix?: string;
  /** resume at this key (inclusive) */
  readonly from?: K;
  /** stop before keys whose encoding (after the prefix) sorts at or after this */
  readonly before?: string;
  readonly limit?: number;
}

/** A table: values by key under one prefix, iterated in key order. */
export class Map<K, V> {
  constructor(readonly prefix: string, private readonly keyCodec: KeyCodec<K>, private readonly codec: ValueCodec<V>) {}

  storeKey(key: K): string {
    return this.prefix + this.keyCodec.encode(key);
  }
  get(state: KVReader, key: K): V | undefined {
    const raw = state.get(this.storeKey(key));
    return raw ? this.codec.decode(raw) : undefined;
  }
  must(state: KVReader, key: K, missing: () => Error): V {
    const v = this.get(state, key);
    if (v === undefined) throw missing();
    return v;
  }
  has(state: KVReader, key: K): boolean {
    return state.get(this.storeKey(key)) !== undefined;
  }
  set(store: KVStore, key: K, value: V): void {
    store.set(this.storeKey(key), this.codec.encode(value));
  }
  delete(store: KVStore, key: K): void {
    store.delete(this.storeKey(key));
  }
  /** Entries in key order. */
  entries(state: KVReader, range: Range<K> = {}): Array<[K, V]> {
    return scan(state, this.prefix, this.keyCodec, range).map(([k, raw]) => [k, this.codec.decode(raw)]);
  }
  values(state: KVReader, range: Range<K> = {}): V[] {
    return scan(state, this.prefix, this.keyCodec, range).map(([, raw]) => this.codec.decode(raw));
  }
  keys(state: KVReader, range: Range<K> = {}): K[] {
    return scan(state, this.prefix, this.keyCodec, range).map(([k]) => k);
  }
}

const EMPTY = new Uint8Array();

/** An index or membership set: keys with empty values. */
export class KeySet<K> {
  constructor(readonly prefix: string, private readonly keyCodec: KeyCodec<K>) {}

  storeKey(key: K): string {
    return this.prefix + this.keyCodec.encode(key);
  }
  has(state: KVReader, key: K): boolean {
    return state.get(this.storeKey(key)) !== undefined;
  }
  add(store: KVStore, key: K): void {
    store.set(this.storeKey(key), EMPTY);
  }
  remove(store: KVStore, key: K): void {
    store.delete(this.storeKey(key));
  }
  keys(state: KVReader, range: Range<K> = {}): K[] {
    return scan(state, this.prefix, this.keyCodec, range).map(([k]) => k);
  }
}

/** A counter (next ids, cursors), starting at `first`. */
export class Sequence {
  private readonly item: Item<bigint>;
  constructor(readonly key: string, private readonly first = 1n) {
    this.item = new Item(key, values.bigint);
  }
  peek(state: KVReader): bigint {
    return this.item.get(state) ?? this.first;
  }
  set(store: KVStore, value: bigint): void {
    this.item.set(store, value);
  }
  /** Returns the current value and stores the next one. */
  next(store: KVStore): bigint {
    const id = this.peek(store);
    this.set(store, id + 1n);
    return id;
  }
}

function scan<K>(state: KVReader, prefix: string, codec: KeyCodec<K>, range: Range<K>): Array<[K, Uint8Array]> {
  const start = prefix + (range.prefix ?? "");
  const end = range.before === undefined ? undefined : start + range.before;
  const from = range.from === undefined ? undefined : prefix + codec.encode(range.from);
  return state
    .iterate(start, end, from === undefined && range.limit === undefined ? undefined : { from, limit: range.limit })
    .map(([k, raw]) => [codec.decode(k.slice(prefix.length)), raw]);
}
