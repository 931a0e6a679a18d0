import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CommittedStore } from "./committed-store.ts";
import { CacheKV } from "./cache.ts";
import type { Write } from "./kv.ts";
import { openStateDb } from "./state-db.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("store: CommittedStore (IAVL trees in LMDB)", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-store-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const open = (name = "db", keep?: number) => CommittedStore.open(path.join(dir, name), keep);

  it("the app hash is deterministic: the same blocks give the same hash on another store, any change changes it", async () => {
    const a = await open("a");
    const b = await open("b");
    for (const s of [a, b]) {
      await s.stage([["m/k1", enc("1")], ["m/k2", enc("2")], ["n/k3", enc("3")]]);
      await s.commit(1n);
    }
    await a.stage([["m/k2", enc("two")], ["n/k3", undefined]]);
    const ra = (await a.commit(2n)).appHash;
    await b.stage([["n/k3", undefined], ["m/k2", enc("two")]]);
    const rb = (await b.commit(2n)).appHash;
    assert.equal(hex(ra), hex(rb));
    assert.equal(ra.length, 32);
    await a.stage([["m/k1", enc("changed")]]);
    assert.notEqual(hex((await a.commit(3n)).appHash), hex(rb), "any change changes the hash");
    await b.stage([["m/k1", enc("1")]]);
    assert.notEqual(hex((await b.commit(3n)).appHash), hex(rb), "a rewrite of the same value is a new version of the key");
    await a.close();
    await b.close();
  });

  it("refuses keys that do not start with a store name", async () => {
    const s = await open();
    await assert.rejects(s.stage([["counter", enc("1")]]), /does not start with a store name/);
    await assert.rejects(s.stage([["Bank/x", enc("1")]]), /does not start with a store name/);
    await s.close();
  });

  it("persists atomically at commit and reloads the same state and hash", async () => {
    const s = await open();
    await s.stage([["bank/x", enc("5")], ["auth/y", enc("6")]]);
    const { appHash } = await s.commit(1n);
    await s.stage([["bank/x", enc("7")]]); // staged but never committed: lost on "crash"
    await s.close();
    const r = await open();
    assert.equal(r.lastCommitted.height, 1n);
    assert.equal(hex(r.lastCommitted.appHash), hex(appHash));
    assert.equal(new TextDecoder().decode(r.get("bank/x")), "5");
    assert.deepEqual(r.iterate("").map(([k]) => k), ["auth/y", "bank/x"]);
    await r.stage([["bank/z", enc("1")]]);
    assert.notEqual(hex((await r.commit(2n)).appHash), hex(appHash));
    await r.close();
  });

  it("reads kept heights through their trees, and refuses pruned ones", async () => {
    const s = await open("db", 3);
    for (let h = 1n; h <= 5n; h++) {
      const writes: Write[] = [["m/counter", enc(String(h))], [`only/${h}`, enc("x")]];
      if (h === 4n) writes.push(["only/2", undefined]);
      await s.stage(writes);
      await s.commit(h);
    }
    const at = (h: bigint) => s.readerAt(h);
    assert.equal(new TextDecoder().decode(at(5n).get("m/counter")), "5");
    assert.equal(new TextDecoder().decode(at(3n).get("m/counter")), "3");
    assert.deepEqual(at(3n).iterate("only/").map(([k]) => k), ["only/1", "only/2", "only/3"]);
    assert.deepEqual(at(4n).iterate("only/").map(([k]) => k), ["only/1", "only/3", "only/4"]);
    assert.deepEqual(at(3n).iterate("").map(([k]) => k), ["m/counter", "only/1", "only/2", "only/3"]);
    assert.deepEqual(at(4n).iterate("only/", undefined, { from: "only/3", limit: 1 }).map(([k]) => k), ["only/3"]);
    assert.throws(() => at(1n), /no longer available: this node keeps the last 3 heights/);
    assert.throws(() => at(6n), /not committed yet/);
    // while a block is staged, readers still see committed state only
    await s.stage([["m/counter", enc("6")]]);
    assert.equal(new TextDecoder().decode(at(5n).get("m/counter")), "5");
    assert.equal(new TextDecoder().decode(s.get("m/counter")), "6");
    await s.close();
  });

  it("a block's new nodes are keyed by (version, order), side by side in the database, not by hash", async () => {
    const s = await open();
    for (let h = 1; h <= 3; h++) {
      await s.stage(Array.from({ length: 50 }, (_, i): Write => [`bank/k${(i * 7919 + h) % 97}`, enc(`${h}/${i}`)]));
      await s.commit(BigInt(h));
    }
    await s.close();
    const db = openStateDb(path.join(dir, "db"));
    const prefix = Buffer.from("nbank\0", "latin1");
    const byVersion = new Map<number, number[]>();
    for (const key of db.getKeys({ start: prefix, end: Buffer.from("nbank\x01", "latin1") })) {
      const nodeKey = key.subarray(prefix.length);
      assert.equal(nodeKey.length, 12, "be64 version + be32 order");
      const v = Number(nodeKey.readBigUInt64BE(0));
      byVersion.set(v, [...(byVersion.get(v) ?? []), nodeKey.readUInt32BE(8)]);
    }
    await db.close();
    assert.deepEqual([...byVersion.keys()], [1, 2, 3], "in version order");
    for (const [v, order] of byVersion) assert.deepEqual(order, order.map((_, i) => i + 1), `version ${v}: orders 1..n, in key order`);
    const r = await open();
    assert.equal(new TextDecoder().decode(r.get("bank/k3")), "3/0");
    await r.close();
  });
});

describe("store: CacheKV branches", () => {
  it("reads through, writes locally, merges iteration and flushes into the parent", () => {
    const parent = new CacheKV({ get: () => undefined, iterate: () => [] });
    parent.set("a/1", enc("1"));
    parent.set("a/3", enc("3"));
    const child = new CacheKV(parent);
    child.set("a/2", enc("2"));
    child.delete("a/3");
    assert.deepEqual(child.iterate("a/").map(([k]) => k), ["a/1", "a/2"]);
    assert.deepEqual(parent.iterate("a/").map(([k]) => k), ["a/1", "a/3"], "parent untouched until flush");
    child.flush();
    assert.deepEqual(parent.iterate("a/").map(([k]) => k), ["a/1", "a/2"]);
    assert.deepEqual(parent.sortedWrites().map(([k, v]) => [k, v === undefined]), [["a/1", false], ["a/2", false], ["a/3", true]]);
  });
});

describe("store: bounded range scans (from, limit) through caches", () => {
  it("CacheKV over a store returns the same window as a plain sorted scan, with local writes and deletions", async () => {
    const { CacheKV } = await import("./cache.ts");
    const base = new CacheKV({ get: () => undefined, iterate: () => [] });
    for (let i = 0; i < 50; i++) base.set(`p/${String(i).padStart(3, "0")}`, Uint8Array.of(i));
    const top = new CacheKV(base);
    for (let i = 0; i < 50; i += 3) top.delete(`p/${String(i).padStart(3, "0")}`);
    for (let i = 50; i < 60; i++) top.set(`p/${String(i).padStart(3, "0")}`, Uint8Array.of(i));
    top.set("p/0105", Uint8Array.of(1)); // sorts between p/010 and p/011
    const all = top.iterate("p/");
    for (const from of ["p/", "p/010", "p/0105", "p/047", "p/059", "p/9"]) {
      for (const limit of [1, 2, 5, 17, 100]) {
        const want = all.filter(([k]) => k >= from).slice(0, limit).map(([k]) => k);
        const got = top.iterate("p/", undefined, { from, limit }).map(([k]) => k);
        // a window may stop early only where later entries are uncertain; it never skips or invents keys
        assert.deepEqual(got, want.slice(0, got.length), `from ${from} limit ${limit}`);
        assert.ok(got.length === want.length || got.length >= limit, `from ${from} limit ${limit}: ${got.length} of ${want.length}`);
      }
    }
  });
});

describe("store: keys longer than the database holds", () => {
  it("reading one finds nothing, a range with a long bound still reads what sorts inside it, and a write is refused with a coded error in the tx", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-store-"));
    const s = await CommittedStore.open(path.join(dir, "db"));
    try {
      await s.stage([["gov/deposits/1/aro1a", enc("a")], ["gov/deposits/1/aro1b", enc("b")]]);
      await s.commit(1n);
      const long = "gov/deposits/1/" + "x".repeat(5000);
      assert.equal(s.get(long), undefined);
      assert.deepEqual(s.iterate(long), []);
      assert.deepEqual(s.iterate("gov/deposits/1/", "gov/deposits/1/aro1b" + "z".repeat(3000)).map(([k]) => k), ["gov/deposits/1/aro1a", "gov/deposits/1/aro1b"]);
      assert.deepEqual(s.iterate("gov/deposits/1/", undefined, { from: "gov/deposits/1/aro1a" + "\u20ac".repeat(2000) }).map(([k]) => k), ["gov/deposits/1/aro1b"]);
      const branch = new CacheKV(s);
      assert.throws(() => branch.set(long, enc("x")), (e: { codespace?: string; code?: number }) => e.codespace === "sdk" && e.code === 18);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
