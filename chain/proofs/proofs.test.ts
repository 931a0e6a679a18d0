import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chunkBranch, chunkHash, chunkRoot, verifyChunk } from "./chunk-tree.ts";
import { segmentLeaves } from "./segments.ts";
import { treeRoot } from "./rfc6962.ts";
import { leafNode, receiptKey, rootFromBranch, SumTree } from "./sum-tree.ts";

describe("proofs: sparse merkle sum tree and chunk tree", () => {
  const leaves = Array.from({ length: 50 }, (_, i) => ({ key: receiptKey("aro1client", BigInt(i)), node: leafNode(randomBytes(40), BigInt(100 + i)) }));
  const tree = new SumTree(leaves);
  const total = leaves.reduce((s, l) => s + l.node.sum, 0n);

  it("the root commits to the total; every branch recomputes the root and the leaf's byte range", () => {
    assert.equal(tree.root.sum, total);
    let start = 0n;
    for (let i = 0; i < tree.leaves.length; i++) {
      const r = rootFromBranch(tree.leaves[i].key, tree.leaves[i].node, tree.branch(i))!;
      assert.deepEqual(r.root, tree.root);
      assert.equal(r.start, start);
      assert.equal(tree.leafAt(start), i);
      assert.equal(tree.leafAt(start + tree.leaves[i].node.sum - 1n), i);
      start += tree.leaves[i].node.sum;
    }
  });

  it("a wrong leaf, key, sum or sibling gives another root", () => {
    const b = tree.branch(3);
    const leaf = tree.leaves[3];
    const eq = (r: ReturnType<typeof rootFromBranch>) => !!r && Buffer.compare(Buffer.from(r.root.hash), Buffer.from(tree.root.hash)) === 0 && r.root.sum === tree.root.sum;
    assert.ok(eq(rootFromBranch(leaf.key, leaf.node, b)));
    assert.ok(!eq(rootFromBranch(leaf.key, { ...leaf.node, sum: leaf.node.sum + 1n }, b)), "inflated bytes");
    assert.ok(!eq(rootFromBranch(leaf.key ^ 1n, leaf.node, b)), "leaf at another key");
    assert.ok(!eq(rootFromBranch(leaf.key, leafNode(randomBytes(40), leaf.node.sum), b)), "another receipt");
    const tampered = { ...b, siblings: b.siblings.map((s, i) => (i === 0 ? { ...s, sum: s.sum + 5n } : s)) };
    assert.ok(!eq(rootFromBranch(leaf.key, leaf.node, tampered)), "a sibling's sum changed");
    assert.equal(rootFromBranch(leaf.key, leaf.node, { ...b, siblings: b.siblings.slice(1) }), undefined, "a sibling missing");
    assert.throws(() => new SumTree([...leaves, leaves[0]]), /share key/);
  });

  it("chunk tree: RFC 6962 audit paths verify for every size and index, and nothing else does", () => {
    for (const n of [1, 2, 3, 5, 8, 13]) {
      const hashes = Array.from({ length: n }, () => chunkHash(randomBytes(64)));
      const root = chunkRoot(hashes);
      for (let i = 0; i < n; i++) {
        const branch = chunkBranch(hashes, i);
        assert.ok(verifyChunk(root, BigInt(n), BigInt(i), hashes[i], branch), `size ${n} index ${i}`);
        assert.ok(!verifyChunk(root, BigInt(n), BigInt(i), chunkHash(randomBytes(8)), branch));
        if (n > 1) assert.ok(!verifyChunk(root, BigInt(n), BigInt((i + 1) % n), hashes[i], branch));
      }
    }
  });

  it("chunkHash is the RFC 6962 root over the chunk's 4 KiB segments, for short, uneven and offset chunks", () => {
    const bytes = randomBytes(300_000);
    for (const [from, n] of [[0, 0], [0, 1], [0, 4095], [0, 4096], [0, 4097], [0, 262_144], [3, 200_001], [7, 12_288]]) {
      const chunk = bytes.subarray(from, from + n);
      assert.deepEqual(Buffer.from(chunkHash(chunk)), Buffer.from(treeRoot(segmentLeaves(chunk))), `${n} bytes at ${from}`);
    }
    assert.equal(Buffer.from(chunkHash(new Uint8Array(0))).toString("hex"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
