import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ics23, iavlSpec, tendermintSpec, verifyExistence, verifyNonExistence } from "@confio/ics23";
import { CommittedStore } from "../committed-store.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Checks a `/store/<name>/key` answer the way CosmJS's queryStoreVerified did: the key in its store, then the store in the app hash. */
function verify(appHash: Uint8Array, store: string, key: Uint8Array, value: Uint8Array | undefined, ops: Array<{ type: string; key: Uint8Array; data: Uint8Array }>): void {
  assert.equal(ops.length, 2);
  assert.equal(ops[0].type, "ics23:iavl");
  assert.deepEqual(ops[0].key, key);
  assert.equal(ops[1].type, "ics23:simple");
  assert.equal(Buffer.from(ops[1].key).toString(), store);
  const sub = ics23.CommitmentProof.decode(ops[0].data);
  const storeProof = ics23.CommitmentProof.decode(ops[1].data);
  const storeRoot = storeProof.exist!.value!;
  if (value === undefined) verifyNonExistence(sub.nonexist!, iavlSpec, storeRoot, key);
  else verifyExistence(sub.exist!, iavlSpec, storeRoot, key, value);
  verifyExistence(storeProof.exist!, tendermintSpec, appHash, enc(store), storeRoot);
}

describe("store: ICS23 proofs of keys and absences (checked with @confio/ics23)", () => {
  let dir: string;
  let s: CommittedStore;
  const appHashes = new Map<bigint, Uint8Array>();
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "arod-proof-"));
    s = await CommittedStore.open(path.join(dir, "db"));
    for (let h = 1n; h <= 3n; h++) {
      const writes: Array<[string, Uint8Array]> = [];
      for (let i = 0; i < 50; i++) writes.push([`bank/balances/aro1${String(i * 2).padStart(3, "0")}/uaro`, enc(`${h * 1000n + BigInt(i)}`)]);
      for (const st of ["auth", "gov", "mint", "peernode", "settlement", "staking"]) writes.push([`${st}/params`, enc(`${st} ${h}`)]);
      writes.push([`peernode/nodes/${h}`, enc(`node ${h}`)]);
      writes.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      await s.stage(writes, h);
      appHashes.set(h, (await s.commit(h)).appHash);
    }
  });
  after(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("existence: a balance and an Aro record, at the latest and an earlier height, prove against that height's app hash", () => {
    for (const [store, key, height] of [["bank", "balances/aro1042/uaro", 3n], ["peernode", "nodes/2", 3n], ["bank", "balances/aro1000/uaro", 2n], ["auth", "params", 1n]] as const) {
      const r = s.proveAt(height, store, enc(key));
      assert.ok(r.value, `${store}/${key} exists`);
      assert.deepEqual(r.value, s.readerAt(height).get(`${store}/${key}`));
      verify(appHashes.get(height)!, store, enc(key), r.value, r.proofOps);
    }
  });

  it("absence: a key between two others, before the first and after the last", () => {
    for (const key of ["balances/aro1041/uaro", "balances/aro0", "balances/zzz", "a"]) {
      const r = s.proveAt(3n, "bank", enc(key));
      assert.equal(r.value, undefined);
      verify(s.lastCommitted.appHash, "bank", enc(key), undefined, r.proofOps);
    }
  });

  it("a tampered proof, a wrong value or another height's app hash fails", () => {
    const key = enc("balances/aro1042/uaro");
    const r = s.proveAt(3n, "bank", key);
    assert.throws(() => verify(s.lastCommitted.appHash, "bank", key, enc("999999"), r.proofOps));
    const tampered = r.proofOps.map((o) => ({ ...o, data: Uint8Array.from(o.data) }));
    tampered[0].data[tampered[0].data.length - 5] ^= 1;
    assert.throws(() => verify(s.lastCommitted.appHash, "bank", key, r.value, tampered));
    const old = s.proveAt(2n, "bank", key);
    assert.throws(() => verify(s.lastCommitted.appHash, "bank", key, old.value, old.proofOps), "height 2's proof does not check against height 3's hash");
    assert.throws(() => verify(s.lastCommitted.appHash, "bank", enc("balances/aro1042/uaro"), undefined, s.proveAt(3n, "bank", enc("balances/aro1041/uaro")).proofOps), "an absence proof of another key");
  });

  it("unknown stores and unkept heights are refused", () => {
    assert.throws(() => s.proveAt(3n, "nosuch", enc("x")), /no store named "nosuch"/);
    assert.throws(() => s.proveAt(4n, "bank", enc("x")), /not committed yet/);
  });
});
