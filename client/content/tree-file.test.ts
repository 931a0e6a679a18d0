import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { auditPath, treeRoot } from "../../chain/proofs/rfc6962.ts";
import { levelSizes, StreamingRoot, TreeFile } from "./tree-file.ts";

describe("chunk tree on disk (TreeFile) and the streaming root", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-tree-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("levels are n, ⌈n/2⌉, …, 1", () => {
    assert.deepEqual(levelSizes(1), [1]);
    assert.deepEqual(levelSizes(5), [5, 3, 2, 1]);
    assert.throws(() => levelSizes(0), /at least one leaf/);
  });

  it("gives the RFC 6962 root and every audit path for trees of 1..70 and 1000 leaves, as the in-memory tree does", () => {
    for (const n of [...Array.from({ length: 70 }, (_, k) => k + 1), 1000]) {
      const leaves = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
      const t = TreeFile.open(path.join(dir, `t${n}`), n);
      try {
        leaves.forEach((l, i) => t.writeLeaf(i, l));
        assert.deepEqual(new Uint8Array(t.build()), treeRoot(leaves), `root of ${n}`);
        for (const i of n > 70 ? [0, 1, 511, 512, 998, 999] : leaves.keys()) assert.deepEqual(t.proof(i).map((b) => new Uint8Array(b)), auditPath(leaves, i), `path of ${i} in ${n}`);
        const s = new StreamingRoot();
        leaves.forEach((l) => s.push(l));
        assert.deepEqual(s.root(), treeRoot(leaves), `streaming root of ${n}`);
      } finally {
        t.close();
      }
    }
  });

  it("knows which leaves are written (a resumed download), and reopens the same file", () => {
    const file = path.join(dir, "held");
    const t = TreeFile.open(file, 20);
    for (const i of [0, 3, 8, 19]) t.writeLeaf(i, new Uint8Array(randomBytes(32)));
    t.close();
    const again = TreeFile.open(file, 20);
    const { bits, count } = again.heldLeaves();
    again.close();
    assert.equal(count, 4);
    assert.deepEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => bits[i >> 3] & (1 << (i & 7))), [0, 3, 8, 19]);
  });
});
