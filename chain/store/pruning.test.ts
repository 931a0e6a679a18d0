import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { blockRetentionHeight } from "../app-state.ts";
import { CommittedStore } from "./committed-store.ts";
import { keptBefore, pruningFromConfig, PRUNING_DEFAULT, PRUNING_EVERYTHING, PRUNING_NOTHING, versionsToPrune } from "./pruning.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("store: pruning settings (the SDK's app.toml names and meanings)", () => {
  it("default, everything, nothing and custom; every bad value names its key", () => {
    assert.deepEqual(pruningFromConfig({}, "app.toml"), PRUNING_DEFAULT);
    assert.deepEqual(pruningFromConfig({ pruning: "default" }, "app.toml"), { keepRecent: 362880, keepEvery: 0, interval: 10 });
    assert.deepEqual(pruningFromConfig({ pruning: "everything" }, "app.toml"), PRUNING_EVERYTHING);
    assert.deepEqual(pruningFromConfig({ pruning: "nothing" }, "app.toml"), PRUNING_NOTHING);
    assert.deepEqual(pruningFromConfig({ pruning: "custom", "pruning-keep-recent": "100", "pruning-keep-every": "1000", "pruning-interval": "10" }, "app.toml"), { keepRecent: 100, keepEvery: 1000, interval: 10 });
    assert.throws(() => pruningFromConfig({ pruning: "custom", "pruning-keep-recent": "100", "pruning-interval": "0" }, "app.toml"), /app.toml: pruning-interval must not be 0/);
    assert.throws(() => pruningFromConfig({ pruning: "custom", "pruning-keep-recent": "1", "pruning-interval": "10" }, "app.toml"), /pruning-keep-recent must be at least 2/);
    assert.throws(() => pruningFromConfig({ pruning: "custom", "pruning-keep-recent": "-5", "pruning-interval": "10" }, "app.toml"), /pruning-keep-recent must be a non-negative integer/);
    assert.throws(() => pruningFromConfig({ pruning: "some" }, "app.toml"), /pruning must be "default", "nothing", "everything" or "custom"/);
    assert.throws(() => pruningFromConfig({ "keep-recent": 100 }, "app.toml"), /keep-recent is replaced by the SDK's settings/);
  });

  it("which versions go at a height: only at interval multiples, past keep-recent, never a keep-every one, at most `max`", () => {
    const o = { keepRecent: 5, keepEvery: 4, interval: 10 };
    assert.deepEqual(versionsToPrune(o, 19, 0, 100), { versions: [], prunedThrough: 0 });
    assert.deepEqual(versionsToPrune(o, 20, 0, 100), { versions: [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14], prunedThrough: 14 });
    assert.deepEqual(versionsToPrune(o, 30, 14, 100).versions, [15, 17, 18, 19, 21, 22, 23]);
    assert.deepEqual(versionsToPrune(o, 30, 0, 3), { versions: [1, 2, 3], prunedThrough: 3 });
    assert.deepEqual(versionsToPrune(PRUNING_NOTHING, 1000, 0, 100).versions, []);
    assert.equal(keptBefore(o, 10, 1), 8);
    assert.equal(keptBefore(o, 3, 1), undefined);
    assert.equal(keptBefore({ ...o, keepEvery: 0 }, 10, 1), undefined);
  });

  it("CometBFT's retain height: 0 keeps all; else the last min-retain-blocks, never fewer than snapshots or evidence need", () => {
    assert.equal(blockRetentionHeight(1000n, { minRetainBlocks: 0, evidenceMaxAgeBlocks: 10n }), 0n);
    assert.equal(blockRetentionHeight(1000n, { minRetainBlocks: 100, evidenceMaxAgeBlocks: 10n }), 900n);
    assert.equal(blockRetentionHeight(1000n, { minRetainBlocks: 100, evidenceMaxAgeBlocks: 500n }), 500n);
    assert.equal(blockRetentionHeight(1000n, { minRetainBlocks: 100, snapshotInterval: 100, snapshotKeepRecent: 2, evidenceMaxAgeBlocks: 10n }), 800n);
    assert.equal(blockRetentionHeight(50n, { minRetainBlocks: 100, evidenceMaxAgeBlocks: 10n }), 0n);
  });
});

describe("store: custom pruning with keep-every", () => {
  it("keeps the last keep-recent versions and every keep-every'th, deletes the rest, and the kept ones read right", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-prune-"));
    const s = await CommittedStore.open(path.join(dir, "db"), { pruning: { keepRecent: 4, keepEvery: 25, interval: 10 } });
    try {
      for (let h = 1n; h <= 100n; h++) {
        await s.stage([["bank/counter", enc(String(h))], [`bank/k${h % 7n}`, enc(String(h))]], h);
        await s.commit(h);
      }
      const readable = [];
      for (let h = 1n; h <= 100n; h++) {
        try {
          const v = new TextDecoder().decode(s.readerAt(h).get("bank/counter"));
          assert.equal(v, String(h));
          readable.push(Number(h));
        } catch (err) {
          assert.match((err as Error).message, /height \d+ is no longer available: this node keeps the last 4 heights before the latest and every 25th/);
        }
      }
      // pruned at 100: everything before 96 (the latest and the 4 before it stay) except 25, 50, 75
      assert.deepEqual(readable, [25, 50, 75, 96, 97, 98, 99, 100]);
      assert.equal(new TextDecoder().decode(s.readerAt(25n).get("bank/k4")), "25");
      assert.equal(s.earliestQueryableHeight, 96n);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("store: a version a snapshot reads is pinned against pruning", () => {
  it("stays readable (and exportable) while pinned however far pruning goes, and goes at the first commit after it is unpinned", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-pin-"));
    const s = await CommittedStore.open(path.join(dir, "db"), 2);
    try {
      const commit = async (h: bigint) => {
        await s.stage([["bank/counter", enc(String(h))], [`bank/k${h % 5n}`, enc(String(h))]], h);
        await s.commit(h);
      };
      for (let h = 1n; h <= 4n; h++) await commit(h);
      s.pin(4n);
      const before = [...s.exportAt(4n)].length;
      for (let h = 5n; h <= 12n; h++) await commit(h);
      assert.equal(new TextDecoder().decode(s.readerAt(4n).get("bank/counter")), "4");
      assert.equal([...s.exportAt(4n)].length, before, "every node of the pinned version is still there");
      assert.throws(() => s.readerAt(5n), /no longer available/);
      s.unpin(4n);
      await commit(13n);
      assert.throws(() => s.readerAt(4n), /no longer available/);
      await s.close();
      // the deferral survives a restart too: nothing of 4 is left behind
      const again = await CommittedStore.open(path.join(dir, "db"), 2);
      assert.throws(() => again.readerAt(4n), /no longer available/);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
