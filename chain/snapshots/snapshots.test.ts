import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ResponseApplySnapshotChunk_Result as Apply, ResponseOfferSnapshot_Result as Offer } from "cosmjs-types/tendermint/abci/types";
import { CommittedStore } from "../store/committed-store.ts";
import type { Write } from "../store/kv.ts";
import { SnapshotManager } from "./manager.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const quiet = { info() {}, warn() {}, error() {}, debug() {} } as never;

describe("state sync: snapshots of the IAVL stores, restored chunk by chunk", () => {
  let dir: string;
  let source: CommittedStore;
  let snaps: SnapshotManager;
  const hashes = new Map<bigint, Uint8Array>();
  const writesAt = (h: bigint): Write[] => {
    const w: Write[] = [];
    for (let i = 0; i < 300; i++) if ((i + Number(h)) % 3 !== 0) w.push([`bank/balances/aro1${String(i).padStart(4, "0")}/uaro`, enc(`${h}:${i}`)]);
    w.push([`peernode/nodes/${h}`, enc(`node ${h}`)], [`gov/params`, enc(`gov ${h}`)]);
    if (h > 2n) w.push([`peernode/nodes/${h - 2n}`, undefined]);
    return w.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-snap-"));
    source = await CommittedStore.open(path.join(dir, "source"));
    snaps = new SnapshotManager(source, { dir: path.join(dir, "snapshots"), interval: 5, keepRecent: 2, log: quiet, chunkBytes: 4096 });
    for (let h = 1n; h <= 12n; h++) {
      await source.stage(writesAt(h), h);
      hashes.set(h, (await source.commit(h)).appHash);
      snaps.afterCommit(h);
      await snaps.idle();
    }
  });
  after(async () => {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh node's store and manager. */
  async function fresh(name: string) {
    const store = await CommittedStore.open(path.join(dir, name));
    let restored = false;
    const m = new SnapshotManager(store, { dir: path.join(dir, `${name}-snapshots`), interval: 0, keepRecent: 2, log: quiet }, () => (restored = true));
    return { store, m, restored: () => restored };
  }

  it("takes one every snapshot-interval heights and keeps snapshot-keep-recent, newest first, in several chunks", () => {
    const list = snaps.list().snapshots;
    assert.deepEqual(list.map((s) => s.height), [10n, 5n]);
    assert.ok(list[0].chunks > 3, `chunks: ${list[0].chunks}`);
  });

  it("a fresh store restores the snapshot: same app hash and state, and continues with the same hashes", async () => {
    const [snap] = snaps.list().snapshots;
    const { store, m, restored } = await fresh("restored");
    assert.equal((await m.offer({ snapshot: snap, appHash: hashes.get(10n)! })).result, Offer.ACCEPT);
    for (let i = 0; i < snap.chunks; i++) {
      const r = await m.applyChunk({ index: i, chunk: snaps.loadChunk({ height: snap.height, format: snap.format, chunk: i }).chunk, sender: "peer-a" });
      assert.equal(r.result, Apply.ACCEPT, `chunk ${i}`);
    }
    assert.ok(restored());
    assert.equal(store.lastCommitted.height, 10n);
    assert.deepEqual(store.lastCommitted.appHash, hashes.get(10n));
    assert.deepEqual(store.iterate("bank/"), source.readerAt(10n).iterate("bank/"));
    assert.deepEqual(store.iterate("peernode/"), source.readerAt(10n).iterate("peernode/"));
    for (let h = 11n; h <= 12n; h++) {
      await store.stage(writesAt(h), h);
      assert.deepEqual((await store.commit(h)).appHash, hashes.get(h), `height ${h} after the restore`);
    }
    await store.close();
  });

  it("a chunk whose hash is not the listed one is refused and fetched again from another peer; the restore still completes", async () => {
    const [snap] = snaps.list().snapshots;
    const { store, m } = await fresh("corrupt");
    assert.equal((await m.offer({ snapshot: snap, appHash: hashes.get(10n)! })).result, Offer.ACCEPT);
    const good = (i: number) => snaps.loadChunk({ height: snap.height, format: snap.format, chunk: i }).chunk;
    const bad = Uint8Array.from(good(1));
    bad[10] ^= 0xff;
    assert.equal((await m.applyChunk({ index: 0, chunk: good(0), sender: "peer-a" })).result, Apply.ACCEPT);
    const refused = await m.applyChunk({ index: 1, chunk: bad, sender: "peer-evil" });
    assert.equal(refused.result, Apply.RETRY);
    assert.deepEqual(refused.refetchChunks, [1]);
    assert.deepEqual(refused.rejectSenders, ["peer-evil"]);
    for (let i = 1; i < snap.chunks; i++) assert.equal((await m.applyChunk({ index: i, chunk: good(i), sender: "peer-a" })).result, Apply.ACCEPT);
    assert.deepEqual(store.lastCommitted.appHash, hashes.get(10n));
    await store.close();
  });

  it("a snapshot that does not rebuild the trusted app hash is rejected and leaves the store empty; bad offers are refused", async () => {
    const [snap, older] = snaps.list().snapshots;
    const { store, m } = await fresh("lied");
    // the chunks of height 10 offered as if they were height 5's state
    assert.equal((await m.offer({ snapshot: snap, appHash: hashes.get(5n)! })).result, Offer.ACCEPT);
    let last;
    for (let i = 0; i < snap.chunks; i++) last = await m.applyChunk({ index: i, chunk: snaps.loadChunk({ height: snap.height, format: snap.format, chunk: i }).chunk, sender: "p" });
    assert.equal(last!.result, Apply.REJECT_SNAPSHOT);
    assert.equal(store.lastCommitted.height, 0n);
    assert.deepEqual(store.iterate(""), []);
    assert.equal((await m.offer({ snapshot: { ...snap, format: 7 }, appHash: hashes.get(10n)! })).result, Offer.REJECT_FORMAT);
    assert.equal((await m.offer({ snapshot: { ...snap, hash: older.hash }, appHash: hashes.get(10n)! })).result, Offer.REJECT);
    assert.equal((await m.offer({ snapshot: { ...snap, metadata: enc("{}") }, appHash: hashes.get(10n)! })).result, Offer.REJECT);
    // and then the honest older one restores
    assert.equal((await m.offer({ snapshot: older, appHash: hashes.get(5n)! })).result, Offer.ACCEPT);
    for (let i = 0; i < older.chunks; i++) assert.equal((await m.applyChunk({ index: i, chunk: snaps.loadChunk({ height: older.height, format: older.format, chunk: i }).chunk, sender: "p" })).result, Apply.ACCEPT);
    assert.deepEqual(store.lastCommitted.appHash, hashes.get(5n));
    await store.close();
  });

  it("an inner node whose key is not its right subtree's smallest is refused (its hash does not cover the key)", async () => {
    const { store } = await fresh("inner-lie");
    const restore = store.beginRestore(10n);
    let lied = false;
    assert.throws(() => {
      for (const item of source.exportAt(10n)) {
        if (!lied && !("store" in item) && item.height > 0) {
          lied = true;
          restore.add({ ...item, key: Uint8Array.from([...item.key, 0]) });
        } else restore.add(item);
      }
    }, /inner node's key is not its right subtree's smallest/);
    await restore.abort();
    await store.close();
  });

  it("a restore a crash cut short leaves nothing behind: the reopened store is empty", async () => {
    const { store } = await fresh("cut-short");
    const restore = store.beginRestore(10n);
    for (const item of source.exportAt(10n)) restore.add(item);
    await restore.flush();
    await store.close();
    const again = await CommittedStore.open(path.join(dir, "cut-short"));
    assert.equal(again.lastCommitted.height, 0n);
    assert.deepEqual(again.iterate(""), []);
    await again.close();
  });

  it("a snapshot left half-written by a crash is never listed and is cleaned up at start; the pinned version was not pruned under it", async () => {
    const half = path.join(dir, "snapshots", "15", "1.tmp");
    fs.mkdirSync(half, { recursive: true });
    fs.writeFileSync(path.join(half, "0"), "partial");
    assert.deepEqual(snaps.list().snapshots.map((s) => s.height), [10n, 5n]);
    new SnapshotManager(source, { dir: path.join(dir, "snapshots"), interval: 5, keepRecent: 2, log: quiet });
    assert.equal(fs.existsSync(half), false);
  });
});
