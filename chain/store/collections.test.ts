import assert from "node:assert/strict";
import { DefaultedItem, Item, KeySet, keys, Map, paramsItem, Sequence, values } from "./collections.ts";
import type { KVStore } from "./kv.ts";
import { applyRange } from "./kv.ts";

/** A plain sorted in-memory store with the KVStore contract (prefix, end, from, limit). */
function memoryStore(): KVStore & { raw: globalThis.Map<string, Uint8Array> } {
  const raw = new globalThis.Map<string, Uint8Array>();
  return {
    raw,
    get: (k) => raw.get(k),
    set: (k, v) => void raw.set(k, v),
    delete: (k) => void raw.delete(k),
    iterate: (prefix, end, range) =>
      applyRange([...raw.entries()].filter(([k]) => k.startsWith(prefix) && (end === undefined || k < end)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), range),
  };
}

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe("typed store collections (chain/store/collections.ts)", () => {
  it("store exactly the bytes a hand-written keeper stored: same keys, decimal text for numbers, padded uint keys", () => {
    const s = memoryStore();
    new Sequence("m/next_id").next(s);
    new Map("m/thing/", keys.uint, values.string).set(s, 7n, "seven");
    new KeySet("m/by_owner/", keys.pair(keys.string, keys.uint)).add(s, ["aro1x", 7n]);
    assert.deepEqual([...s.raw.keys()].sort(), ["m/by_owner/aro1x/00000000000000000007", "m/next_id", "m/thing/00000000000000000007"]);
    assert.equal(text(s.raw.get("m/next_id")), "2");
    assert.equal(text(s.raw.get("m/thing/00000000000000000007")), "seven");
    assert.equal(s.raw.get("m/by_owner/aro1x/00000000000000000007")!.length, 0);
  });

  it("items fall back to their default; params items always answer", () => {
    const s = memoryStore();
    const limit = new Item("m/limit", values.bigint, 10n);
    assert.equal(limit.get(s), 10n);
    assert.equal(limit.has(s), false);
    limit.set(s, 3n);
    assert.equal(limit.get(s), 3n);
    const p = paramsItem("m/params", { encode: (v: { n: number }) => ({ finish: () => new Uint8Array([v.n]) }), decode: (b: Uint8Array) => ({ n: b[0] }) }, { n: 5 });
    assert.deepEqual(p.get(s), { n: 5 });
    p.set(s, { n: 9 });
    assert.deepEqual(p.get(s), { n: 9 });
    assert.throws(() => new Item("m/none", values.string).must(s, () => new Error("no such thing")), /no such thing/);
  });

  it("a defaulted item is typed as always answering, and stores the same bytes as an Item", () => {
    const s = memoryStore();
    const cursor: DefaultedItem<bigint> = new DefaultedItem("m/cursor", values.bigint, 7n);
    const n: bigint = cursor.get(s);
    assert.equal(n, 7n);
    assert.equal(cursor.defaultValue, 7n);
    cursor.set(s, 12n);
    assert.equal(cursor.get(s), 12n);
    assert.deepEqual(s.raw.get("m/cursor"), new TextEncoder().encode("12"));
    assert.ok(paramsItem("m/p", { encode: (v: number) => ({ finish: () => new Uint8Array([v]) }), decode: (b: Uint8Array) => b[0] }, 1) instanceof DefaultedItem);
  });

  it("maps iterate in key order, by sub-prefix, from a resume key, up to a limit, and before an end", () => {
    const s = memoryStore();
    const m = new Map("m/allot/", keys.pair(keys.string, keys.uint), values.bigint);
    for (const [owner, node, amount] of [["b", 2n, 20n], ["a", 10n, 100n], ["a", 2n, 2n], ["a", 9n, 9n]] as const) m.set(s, [owner, node], amount);
    assert.deepEqual(m.keys(s), [["a", 2n], ["a", 9n], ["a", 10n], ["b", 2n]], "numeric order inside the owner, owners in text order");
    assert.deepEqual(m.values(s, { prefix: "a/" }), [2n, 9n, 100n]);
    assert.deepEqual(m.keys(s, { from: ["a", 9n], limit: 2 }), [["a", 9n], ["a", 10n]]);
    assert.deepEqual(m.values(s, { before: "a/00000000000000000010" }), [2n, 9n]);
    m.delete(s, ["a", 9n]);
    assert.equal(m.has(s, ["a", 9n]), false);
    assert.deepEqual(m.entries(s, { prefix: "b/" }), [[["b", 2n], 20n]]);
  });

  it("triples and key sets decode what they encode", () => {
    const s = memoryStore();
    const q = new KeySet("m/queue/", keys.triple(keys.uint, keys.string, keys.uint));
    q.add(s, [5n, "aro1y", 3n]);
    q.add(s, [1n, "aro1z", 4n]);
    assert.deepEqual(q.keys(s), [[1n, "aro1z", 4n], [5n, "aro1y", 3n]]);
    assert.equal(q.has(s, [5n, "aro1y", 3n]), true);
    q.remove(s, [5n, "aro1y", 3n]);
    assert.deepEqual(q.keys(s), [[1n, "aro1z", 4n]]);
  });
});
