import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { chunkHash } from "./chunk-tree.ts";
import { auditPath, pathLength, rootFromPath, treeRoot } from "./rfc6962.ts";
import { SEGMENT_SIZE } from "./segments.ts";
import { storageProofFailure, type ContentShape, type SegmentProof } from "./storage-proof.ts";
import { defaultMarketParams, validateMarketParams } from "../../modules/market/params.ts";
import { chunkContent, chunkProof } from "../../client/content/chunks.ts";
import { storageAnswer } from "../../workers/gpow/storage-answer.ts";

// RFC 6962 as the RFC writes it (recursive), independent of the bottom-up code under test
const sha = (...parts: Uint8Array[]) => new Uint8Array(parts.reduce((h, p) => h.update(p), createHash("sha256")).digest());
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const mth = (d: Uint8Array[]): Uint8Array => {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Uint8Array.of(0), d[0]);
  const k = split(d.length);
  return sha(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
};
const rfcPath = (m: number, d: Uint8Array[]): Uint8Array[] => {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k ? [...rfcPath(m, d.slice(0, k)), mth(d.slice(k))] : [...rfcPath(m - k, d.slice(k)), mth(d.slice(0, k))];
};
const leaf = (x: Uint8Array) => sha(Uint8Array.of(0), x);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A content cut in chunks, with the proof of each (chunk, segment) position as the agent builds it. */
function content(data: Uint8Array, chunkSize: number) {
  const { content: c, chunks } = chunkContent(data, chunkSize);
  const shape: ContentShape = { root: Buffer.from(c.root, "hex"), size: BigInt(c.size), chunkSize: BigInt(chunkSize) };
  const proof = (i: number, s: number): SegmentProof => {
    const a = storageAnswer(chunks[i], chunkProof(c, i), s);
    return { chunkIndex: BigInt(i), segmentIndex: BigInt(s), segment: a.segment, segmentBranch: a.segmentBranch, chunkBranch: a.branch };
  };
  const positions = chunks.flatMap((ch, i) => Array.from({ length: Math.ceil(ch.length / SEGMENT_SIZE) }, (_, s) => [i, s] as const));
  return { c, chunks, shape, proof, positions };
}
const sameProof = (a: SegmentProof, b: SegmentProof) =>
  hex(a.segment) === hex(b.segment) && a.segmentBranch.map(hex).join() === b.segmentBranch.map(hex).join() && a.chunkBranch.map(hex).join() === b.chunkBranch.map(hex).join();

describe("storage proofs: a challenge is answered with a segment's bytes, placed by two RFC 6962 branches", () => {
  it("the bottom-up tree is RFC 6962: the RFC's test vectors, and root and paths equal to the recursive definition for every size", () => {
    // certificate-transparency's reference leaves and roots (sizes 1..8)
    const inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => new Uint8Array(Buffer.from(h, "hex")));
    const roots = [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4", "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    for (let n = 1; n <= 8; n++) assert.equal(hex(treeRoot(inputs.slice(0, n).map(leaf))), roots[n - 1], `size ${n}`);
    assert.equal(hex(treeRoot([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (let n = 1; n <= 40; n++) {
      const d = Array.from({ length: n }, () => new Uint8Array(randomBytes(20)));
      const leaves = d.map(leaf);
      assert.equal(hex(treeRoot(leaves)), hex(mth(d)), `size ${n}`);
      for (let m = 0; m < n; m++) {
        const path = auditPath(leaves, m);
        assert.deepEqual(path.map(hex), rfcPath(m, d).map(hex), `size ${n} leaf ${m}`);
        assert.equal(path.length, pathLength(BigInt(m), BigInt(n)));
        assert.equal(hex(rootFromPath(leaves[m], BigInt(m), BigInt(n), path)!), hex(mth(d)));
      }
    }
  });

  it("a chunk hash is the RFC 6962 root over its 4 KiB segments (the last shorter), not sha256 of the chunk", () => {
    for (const len of [1, 100, 4095, 4096, 4097, 8192, 3 * 4096 + 5, 64 * 4096]) {
      const chunk = new Uint8Array(randomBytes(len));
      const segments = Array.from({ length: Math.ceil(len / SEGMENT_SIZE) }, (_, s) => chunk.subarray(s * SEGMENT_SIZE, (s + 1) * SEGMENT_SIZE));
      assert.equal(hex(chunkHash(chunk)), hex(mth(segments)), `chunk of ${len} bytes`);
      assert.notEqual(hex(chunkHash(chunk)), hex(sha(chunk)));
    }
  });

  it("every segment of every chunk proves itself, the content's last short chunk and last short segment included", () => {
    // 3 chunks of 16 KiB (4 segments), then a last chunk of one full segment and 5 bytes
    const { shape, proof, positions, chunks } = content(new Uint8Array(randomBytes(3 * 16384 + 4096 + 5)), 16384);
    assert.equal(chunks.length, 4);
    assert.equal(positions.length, 3 * 4 + 2);
    for (const [i, s] of positions) assert.equal(storageProofFailure(shape, proof(i, s)), undefined, `chunk ${i} segment ${s}`);
    const last = proof(3, 1);
    assert.equal(last.segment.length, 5);
    // the short final segment padded to a full one is not the data
    const padded = new Uint8Array(SEGMENT_SIZE);
    padded.set(last.segment);
    assert.match(storageProofFailure(shape, { ...last, segment: padded })!, /is 5 bytes, got 4096/);
    // a single-chunk, single-segment content: both branches are empty
    const tiny = content(new Uint8Array(randomBytes(10)), 16384);
    assert.deepEqual([tiny.proof(0, 0).segmentBranch.length, tiny.proof(0, 0).chunkBranch.length], [0, 0]);
    assert.equal(storageProofFailure(tiny.shape, tiny.proof(0, 0)), undefined);
  });

  it("refuses wrong bytes, another position, wrong or resized branches, oversize or missing data, and a hash in place of data", () => {
    const { shape, proof, chunks } = content(new Uint8Array(randomBytes(5 * 8192 + 3000)), 8192);
    const good = proof(2, 1);
    assert.equal(storageProofFailure(shape, good), undefined);
    const flipped = new Uint8Array(good.segment);
    flipped[4095] ^= 0x80;
    const bad = (p: Partial<SegmentProof>, why: RegExp, what: string) => assert.match(storageProofFailure(shape, { ...good, ...p }) ?? "accepted", why, what);
    bad({ segment: flipped }, /do not lead to the content root/, "one bit of the data changed");
    bad({ segment: new Uint8Array(randomBytes(SEGMENT_SIZE)) }, /do not lead to the content root/, "other data of the right size");
    bad({ segment: proof(2, 0).segment }, /do not lead to the content root/, "the chunk's other segment at this position");
    bad({ segmentIndex: 0n }, /do not lead to the content root/, "the proof of segment 1 presented as segment 0");
    bad({ chunkIndex: 3n }, /do not lead to the content root/, "the proof of chunk 2 presented as chunk 3");
    bad({ chunkIndex: 6n }, /outside 0\.\.5/, "a chunk past the end");
    bad({ segmentIndex: 2n }, /segment 2 is outside 0\.\.1/, "a segment past the chunk's end");
    bad({ chunkBranch: proof(3, 1).chunkBranch }, /do not lead to the content root/, "another chunk's branch");
    bad({ segmentBranch: [new Uint8Array(32)] }, /do not lead to the content root/, "a forged sibling");
    bad({ chunkBranch: good.chunkBranch.slice(1) }, /chunk branch must have 3 hashes, got 2/, "a sibling missing");
    bad({ segmentBranch: [...good.segmentBranch, new Uint8Array(32)] }, /segment branch must have 1 hashes, got 2/, "a sibling too many");
    bad({ segmentBranch: [new Uint8Array(31)] }, /32 bytes/, "a short sibling");
    bad({ segment: new Uint8Array(SEGMENT_SIZE + 1) }, /segment must be 1\.\.4096 bytes, got 4097/, "oversize data");
    bad({ segment: chunks[2].subarray(0, SEGMENT_SIZE * 2) }, /segment must be 1\.\.4096 bytes, got 8192/, "the whole chunk");
    bad({ segment: good.segment.subarray(0, 4000) }, /is 4096 bytes, got 4000/, "truncated data");
    bad({ segment: new Uint8Array() }, /segment must be 1\.\.4096 bytes, got 0/, "no data");
    bad({ segment: chunkHash(chunks[2]), segmentBranch: [] }, /is 4096 bytes, got 32/, "the chunk hash (what a proof carried before) in place of data");
    bad({ chunkBranch: Array.from({ length: 65 }, () => new Uint8Array(32)) }, /at most 64/, "an unbounded branch");
    bad({ segmentBranch: Array.from({ length: 13 }, () => new Uint8Array(32)) }, /at most 12/, "a segment branch deeper than a 16 MiB chunk");
  });

  it("identical chunks and segments: a proof is bound to its position — replayed elsewhere it verifies only where it is that position's own proof", () => {
    // the content: the same chunk over and over (here with one odd chunk), and a chunk made of one segment repeated
    const same = new Uint8Array(randomBytes(8192));
    const odd = new Uint8Array(randomBytes(8192));
    const data = Buffer.concat([same, same, same, same, same, odd, same, same.subarray(0, 4096)]);
    const { shape, proof, positions } = content(new Uint8Array(data), 8192);
    let refused = 0;
    for (const [i, s] of positions) {
      const p = proof(i, s);
      for (const [j, t] of positions) {
        const replay = { ...p, chunkIndex: BigInt(j), segmentIndex: BigInt(t) };
        const accepted = storageProofFailure(shape, replay) === undefined;
        assert.equal(accepted, sameProof(p, proof(j, t)), `proof of ${i}/${s} replayed at ${j}/${t}`);
        if (!accepted) refused++;
      }
    }
    assert.ok(refused > positions.length, `replays refused: ${refused}`);
    // held: one copy of the repeated chunk answers for every position holding those bytes — with the bytes
    // themselves, which is the data; the odd chunk's positions still need the odd chunk
    assert.match(storageProofFailure(shape, { ...proof(5, 0), segment: same.subarray(0, 4096) })!, /do not lead to the content root/);
    // a chunk of one repeated segment: segments are bound to their index in the chunk the same way
    const seg = new Uint8Array(randomBytes(4096));
    const rep = content(new Uint8Array(Buffer.concat([seg, seg, seg])), 16384);
    assert.equal(storageProofFailure(rep.shape, { ...rep.proof(0, 0), segmentIndex: 2n }), "segment branch must have 1 hashes, got 2");
  });

  it("market chunk sizes are whole segments (4 KiB multiples) so only a content's last segment is short", () => {
    assert.doesNotThrow(() => validateMarketParams(defaultMarketParams));
    for (const ok of [4096, 8192, 16384, 262_144, 16 * 1024 * 1024]) assert.doesNotThrow(() => validateMarketParams({ ...defaultMarketParams, chunkSize: ok }), `${ok}`);
    for (const bad of [1024, 4095, 6000, 262_145, 16 * 1024 * 1024 + 4096]) assert.throws(() => validateMarketParams({ ...defaultMarketParams, chunkSize: bad }), /multiple of 4096/, `${bad}`);
  });
});
