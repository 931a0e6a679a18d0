import type { IavlNode } from "./iavl/node.ts";
import { getIn, rangeIn, type NodeSource } from "./iavl/tree.ts";
import { prefixEnd, type KeyRange, type KVReader } from "./kv.ts";
import { STORE_NAME } from "./layout.ts";

const utf8 = new TextEncoder();

/** A key's store (its first segment) and the key inside that store. */
export function splitKey(key: string): { store: string; inner: Uint8Array } {
  const i = key.indexOf("/");
  const store = i > 0 ? key.slice(0, i) : "";
  if (!STORE_NAME.test(store)) throw new Error(`state key ${JSON.stringify(key.slice(0, 64))} does not start with a store name ([a-z0-9_]+ then "/")`);
  return { store, inner: utf8.encode(key.slice(i + 1)) };
}

/** The smallest byte string greater than every string starting with `p` (empty: no bound). */
export function bytesPrefixEnd(p: Uint8Array): Uint8Array {
  const b = Uint8Array.from(p);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] < 0xff) {
      b[i]++;
      return b.subarray(0, i + 1);
    }
  }
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff);
}

/**
 * The state at a past height, read through each store's tree at that version. Store
 * names sort before their keys' separator ("/" is below [a-z0-9_]), so walking the
 * stores in name order walks the keys in order.
 */
export class VersionReader implements KVReader {
  private readonly names: string[];

  constructor(
    private readonly roots: ReadonlyMap<string, IavlNode | undefined>,
    private readonly nodesOf: (store: string) => NodeSource,
  ) {
    this.names = [...roots.keys()].sort();
  }

  get(key: string): Uint8Array | undefined {
    const { store, inner } = splitKey(key);
    return getIn(this.nodesOf(store), this.roots.get(store), inner);
  }

  iterate(prefix: string, end?: string, range?: KeyRange): Array<[string, Uint8Array]> {
    const out: Array<[string, Uint8Array]> = [];
    const limit = range?.limit ?? Infinity;
    const lo = utf8.encode(range?.from !== undefined && range.from > prefix ? range.from : prefix);
    const hi = end !== undefined && end < prefixEnd(prefix) ? utf8.encode(end) : bytesPrefixEnd(utf8.encode(prefix));
    for (const name of this.names) {
      if (out.length >= limit) break;
      const p = utf8.encode(name + "/");
      const pEnd = bytesPrefixEnd(p);
      const from = Buffer.compare(lo, p) > 0 ? lo : p;
      const to = Buffer.compare(hi, pEnd) < 0 ? hi : pEnd;
      if (Buffer.compare(from, to) >= 0) continue;
      const innerFrom = from.subarray(p.length);
      const innerTo = to === pEnd ? undefined : to.subarray(p.length);
      for (const leaf of rangeIn(this.nodesOf(name), this.roots.get(name), innerFrom, innerTo, limit - out.length)) {
        out.push([name + "/" + Buffer.from(leaf.key).toString("utf8"), leaf.value!]);
      }
    }
    return out;
  }
}
