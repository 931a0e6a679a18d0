import assert from "node:assert/strict";
import { Params } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { padUint, Sequence } from "../../chain/store/collections.ts";
import type { KVStore } from "../../chain/store/kv.ts";
import { defaultSettlementParams } from "../settlement/params.ts";
import { EPOCH_PARAMS_KEY } from "./epochs.ts";
import { closedThrough, pruneEpochs } from "./prune.ts";

const A = "m/a/"; // (epoch, node) -> value
const B = "m/b/"; // epoch -> value
const ONE = new Uint8Array([1]);

function store(epochLength = 10n): KVStore {
  const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
  ctx.store.set(EPOCH_PARAMS_KEY, Params.encode({ ...defaultSettlementParams, epochLength }).finish());
  return ctx.store;
}
/** Epochs 0..last, `perEpoch` entries of A and one of B each. */
function fill(s: KVStore, last: bigint, perEpoch: number): void {
  for (let e = 0n; e <= last; e++) {
    for (let n = 0; n < perEpoch; n++) s.set(`${A}${padUint(e)}/${padUint(BigInt(n))}`, ONE);
    s.set(`${B}${padUint(e)}`, ONE);
  }
}
const epochsIn = (s: KVStore, prefix: string) => [...new Set(s.iterate(prefix).map(([k]) => BigInt(k.slice(prefix.length, prefix.length + 20))))];

describe("epochs/prune: settled per-epoch records are deleted in bounded batches", () => {
  it("deletes every entry of epochs up to `through` and none after, at most `budget` a call, resuming where it stopped", () => {
    const s = store();
    fill(s, 5n, 4); // 5 entries per epoch, 30 in all
    const cursor = new Sequence("m/prune_epoch", 0n);
    const o = { tables: [A, B], cursor, through: 3n, budget: 3 };
    const perCall: number[] = [];
    for (let i = 0; i < 20; i++) {
      const n = pruneEpochs(s, o);
      if (n === 0) break;
      perCall.push(n);
    }
    assert.ok(perCall.every((n) => n <= 3), `at most 3 a call: ${perCall}`);
    assert.equal(perCall.reduce((a, b) => a + b, 0), 20, "the 20 entries of epochs 0..3");
    assert.ok(perCall.length >= 7, "20 entries take at least 7 calls of 3");
    assert.deepEqual(epochsIn(s, A), [4n, 5n]);
    assert.deepEqual(epochsIn(s, B), [4n, 5n]);
    assert.equal(s.iterate(A).length, 8);
    assert.equal(cursor.peek(s), 4n, "the next epoch that may hold records");
  });

  it("the cursor only moves past an epoch once every table is clear of it", () => {
    const s = store();
    fill(s, 2n, 2); // per epoch: 2 in A, 1 in B
    const cursor = new Sequence("m/prune_epoch", 0n);
    const o = { tables: [A, B], cursor, through: 2n, budget: 3 };
    assert.equal(pruneEpochs(s, o), 3); // A: epoch 0 (2), epoch 1 (1 of 2)
    assert.equal(cursor.peek(s), 0n, "table B was not looked at: it still holds epoch 0");
    assert.equal(pruneEpochs(s, o), 3); // A: epoch 1, epoch 2 (2); budget out
    assert.equal(pruneEpochs(s, o), 3); // A empty; B: epochs 0..2, the budget out again
    assert.equal(cursor.peek(s), 2n, "B may hold more of epoch 2 as far as this call knows");
    assert.equal(pruneEpochs(s, o), 0, "nothing left");
    assert.equal(cursor.peek(s), 3n);
    assert.deepEqual([s.iterate(A).length, s.iterate(B).length], [0, 0]);
  });

  it("resumes at the cursor: epochs below it are never scanned again, and nothing is done past `through`", () => {
    const s = store();
    fill(s, 3n, 1);
    const cursor = new Sequence("m/prune_epoch", 0n);
    assert.equal(pruneEpochs(s, { tables: [A, B], cursor, through: 1n, budget: 100 }), 4);
    assert.equal(cursor.peek(s), 2n);
    // an entry below the cursor (never written by a module: its epoch is over) is not looked for
    s.set(`${A}${padUint(0n)}/${padUint(9n)}`, ONE);
    assert.equal(pruneEpochs(s, { tables: [A, B], cursor, through: 1n, budget: 100 }), 0);
    assert.equal(pruneEpochs(s, { tables: [A, B], cursor, through: 2n, budget: 0 }), 0, "no budget, no work");
    assert.equal(pruneEpochs(s, { tables: [A, B], cursor, through: 2n, budget: 100 }), 2);
    assert.deepEqual(epochsIn(s, B), [3n]);
  });

  it("closedThrough: the newest epoch every window of which has closed", () => {
    const s = store(10n); // epoch e ends at 10(e+1)
    assert.equal(closedThrough(s, 10n, 0n), -1n, "epoch 0 ends at 10: not closed at 10");
    assert.equal(closedThrough(s, 11n, 0n), 0n);
    assert.equal(closedThrough(s, 35n, 5n), 1n, "epoch 2's window ends at 35");
    assert.equal(closedThrough(s, 36n, 5n), 2n);
    assert.equal(closedThrough(s, 3n, 40n), -1n);
  });
});
