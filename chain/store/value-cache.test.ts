import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CommittedStore } from "./committed-store.ts";
import { ValueCache } from "./value-cache.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe("store: the inter-block value cache", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-values-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a value read (or found absent) before a block is what the block's commit wrote after it", async () => {
    const store = await CommittedStore.open(path.join(dir, "db"));
    await store.stage([["m/a", enc("1")], ["m/b", enc("gone soon")]]);
    await store.commit(1n);
    // read (and cached) at height 1, including a key that does not exist
    assert.equal(dec(store.committed.get("m/a")), "1");
    assert.equal(dec(store.get("m/b")), "gone soon");
    assert.equal(store.committed.get("m/new"), undefined);

    await store.stage([["m/a", enc("2")], ["m/b", undefined], ["m/new", enc("here")]]);
    // staged: the block sees its writes, the committed view does not yet
    assert.equal(dec(store.get("m/a")), "2");
    assert.equal(dec(store.committed.get("m/a")), "1");
    assert.equal(store.get("m/b"), undefined);
    assert.equal(dec(store.committed.get("m/b")), "gone soon");
    await store.commit(2n);

    assert.equal(dec(store.committed.get("m/a")), "2");
    assert.equal(store.committed.get("m/b"), undefined);
    assert.equal(dec(store.committed.get("m/new")), "here");
    assert.equal(dec(store.readerAt(1n).get("m/a")), "1", "older heights read the tree, not the cache");
    await store.close();

    const reopened = await CommittedStore.open(path.join(dir, "db"));
    assert.equal(dec(reopened.committed.get("m/a")), "2");
    await reopened.close();
  });

  it("holds at most its size, dropping the least recently used entry first; size 0 keeps nothing", () => {
    let loads = 0;
    const load = (k: string) => (loads++, enc(k));
    const cache = new ValueCache(2);
    cache.get("a", load);
    cache.get("b", load);
    cache.get("a", load);
    assert.equal(loads, 2);
    cache.get("c", load); // drops "b", read before "a" was read again
    assert.equal(cache.size, 2);
    cache.get("a", load);
    assert.equal(loads, 3);
    cache.get("b", load);
    assert.equal(loads, 4);
    assert.deepEqual([cache.hits, cache.misses], [2, 4], "hits and misses counted (metrics)");
    const none = new ValueCache(0);
    none.get("a", load);
    none.get("a", load);
    assert.equal(none.size, 0);
    assert.equal(loads, 6);
    assert.deepEqual([none.hits, none.misses], [0, 2]);
    assert.throws(() => new ValueCache(-1), /integer >= 0/);
  });
});
