import type { KVReader, KVStore } from "./kv.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A number kept at one store key (next ids, cursors), starting at `first`. */
export function storedCounter(key: string, first = 1n) {
  return {
    peek: (state: KVReader): bigint => {
      const raw = state.get(key);
      return raw ? BigInt(dec.decode(raw)) : first;
    },
    set: (store: KVStore, value: bigint): void => store.set(key, enc.encode(value.toString())),
    /** Returns the current value and stores the next one. */
    next(store: KVStore): bigint {
      const id = this.peek(store);
      this.set(store, id + 1n);
      return id;
    },
  };
}
