import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { open } from "lmdb";
import { CommittedStore } from "../committed-store.ts";
import type { Write } from "../kv.ts";
import { compareBytes, type IavlNode } from "./node.ts";
import { childOf, MutableTree, rangeIn, type NodeSource } from "./tree.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

/** A deterministic pseudo-random sequence (xorshift32), so a failure replays. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Persisted nodes kept in a Map: the tree's logic without a database. */
class MemoryNodes implements NodeSource {
  readonly byKey = new Map<string, IavlNode>();
  load(key: Uint8Array, hash: Uint8Array): IavlNode {
    const n = this.byKey.get(Buffer.from(key).toString("hex"));
    if (!n) throw new Error("missing node");
    assert.deepEqual(n.hash, hash, "a parent's hash of its child is the child's");
    return n;
  }
  save(t: MutableTree): void {
    const nodes = t.newNodes();
    t.markPersisted(nodes, t.version + 1);
    for (const n of nodes) this.byKey.set(Buffer.from(n.nodeKey!).toString("hex"), n);
  }
}

/** Checks the AVL and IAVL invariants of a subtree; returns its smallest key. */
function check(src: NodeSource, n: IavlNode): Uint8Array {
  if (n.isLeaf) {
    assert.equal(n.size, 1);
    return n.key;
  }
  const l = childOf(src, n, true);
  const r = childOf(src, n, false);
  assert.equal(n.height, Math.max(l.height, r.height) + 1, "height");
  assert.equal(n.size, l.size + r.size, "size");
  assert.ok(Math.abs(l.height - r.height) <= 1, "balanced");
  const lmin = check(src, l);
  const rmin = check(src, r);
  assert.equal(compareBytes(n.key, rmin), 0, "an inner node's key is its right subtree's smallest");
  assert.ok(compareBytes(lmin, rmin) < 0);
  return lmin;
}

describe("store: IAVL+ tree", () => {
  it("matches a sorted map over random sets and removes, stays balanced, and keeps every old version readable", () => {
    const src = new MemoryNodes();
    const t = new MutableTree(src, undefined, 1);
    const model = new Map<string, string>();
    const versions: Array<{ root: IavlNode | undefined; model: Map<string, string> }> = [];
    const next = rng(7);
    for (let v = 1; v <= 40; v++) {
      for (let i = 0; i < 60; i++) {
        const k = `k${Math.floor(next() * 300).toString().padStart(3, "0")}`;
        if (next() < 0.35) {
          assert.equal(t.remove(enc(k)), model.delete(k));
        } else {
          const val = `v${v}.${i}`;
          assert.equal(t.set(enc(k), enc(val)), model.has(k));
          model.set(k, val);
        }
      }
      t.hash();
      if (t.root) check(src, t.root);
      assert.equal(t.size, model.size);
      src.save(t);
      versions.push({ root: t.root, model: new Map(model) });
    }
    for (const { root, model: m } of versions) {
      const all = rangeIn(src, root, new Uint8Array(), undefined).map((n) => [dec(n.key), dec(n.value)]);
      assert.deepEqual(all, [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
      const window = rangeIn(src, root, enc("k100"), enc("k200"), 5).map((n) => dec(n.key));
      assert.deepEqual(window, [...m.keys()].filter((k) => k >= "k100" && k < "k200").sort().slice(0, 5));
    }
    // a tree's hash follows its history: the same operations give the same root
    const again = new MutableTree(new MemoryNodes(), undefined, 1);
    const replay = rng(7);
    const src2 = new MemoryNodes();
    const t2 = new MutableTree(src2, undefined, 1);
    for (let v = 1; v <= 40; v++) {
      for (let i = 0; i < 60; i++) {
        const k = `k${Math.floor(replay() * 300).toString().padStart(3, "0")}`;
        if (replay() < 0.35) t2.remove(enc(k));
        else t2.set(enc(k), enc(`v${v}.${i}`));
      }
      src2.save(t2);
    }
    assert.deepEqual(t2.root?.hash, versions.at(-1)!.root?.hash);
    assert.equal(again.size, 0);
  });

  it("a sequential insert of 2^12 keys gives a tree of height 12 (perfectly balanced)", () => {
    const src = new MemoryNodes();
    const t = new MutableTree(src, undefined, 1);
    for (let i = 0; i < 4096; i++) t.set(enc(`k${i.toString().padStart(5, "0")}`), enc("x"));
    t.hash();
    check(src, t.root!);
    assert.equal(t.root!.height, 12);
  });
});

describe("store: versions on disk are pruned to keep-recent through their orphans", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-iavl-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the database holds the kept versions only: node count stays flat over 300 heights of churn, and kept heights read right", async () => {
    const keep = 5;
    const s = await CommittedStore.open(path.join(dir, "db"), keep);
    const next = rng(11);
    const history: Array<Map<string, string>> = [];
    const model = new Map<string, string>();
    const nodeCounts: number[] = [];
    for (let h = 1; h <= 300; h++) {
      const writes: Write[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const k = `bank/${Math.floor(next() * 200)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        if (next() < 0.3) {
          writes.push([k, undefined]);
          model.delete(k);
        } else {
          writes.push([k, enc(`${h}`)]);
          model.set(k, `${h}`);
        }
      }
      writes.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      await s.stage(writes, BigInt(h));
      await s.commit(BigInt(h));
      history[h] = new Map(model);
      if (h % 50 === 0) nodeCounts.push(countNodes(path.join(dir, "db")));
    }
    for (let h = 300 - keep + 1; h <= 300; h++) {
      const got = s.readerAt(BigInt(h)).iterate("bank/").map(([k, v]) => [k, dec(v)]);
      assert.deepEqual(got, [...history[h]].sort((a, b) => (a[0] < b[0] ? -1 : 1)), `height ${h}`);
    }
    assert.throws(() => s.readerAt(BigInt(300 - keep - 1)), /no longer available/);
    await s.close();
    // ~200 keys: ~400 nodes per version plus the few hundred the kept versions changed
    const [first, ...rest] = nodeCounts;
    for (const c of rest) assert.ok(c < first * 1.5, `nodes grew from ${first} to ${c}: ${nodeCounts.join(", ")}`);
    assert.ok(Math.max(...nodeCounts) < 2000, nodeCounts.join(", "));
  });
});

/** IAVL nodes in a store's database (keys starting with "n"). */
function countNodes(dbDir: string): number {
  const db = open<Buffer, Buffer>({ path: path.join(dbDir, "state.mdb"), keyEncoding: "binary", encoding: "binary", readOnly: true });
  let n = 0;
  for (const _ of db.getKeys({ start: Buffer.from("n"), end: Buffer.from("o") })) n++;
  db.close();
  return n;
}
