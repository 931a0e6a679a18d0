import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chunkHash } from "../../chain/proofs/chunk-tree.ts";
import { chunkContent, chunkProof } from "../content/chunks.ts";
import { proofToHex } from "../content/proof-hex.ts";
import { chunkHashOf, chunkVerifies, proofFromHexWeb, toHex } from "./verify.ts";

describe("client/web verify: the browser's chunk checks agree with the chain's", () => {
  it("chunk hashes over 4 KiB segments are the chain's, for full and short chunks", () => {
    for (const n of [1, 4095, 4096, 4097, 65_536, 100_000]) {
      const c = new Uint8Array(randomBytes(n));
      assert.equal(toHex(chunkHashOf(c)), Buffer.from(chunkHash(c)).toString("hex"), `${n} bytes`);
    }
  });

  it("every chunk verifies with its audit path (sent as hex); a flipped byte, another index or a short path does not", () => {
    for (const size of [5_000, 40_000, 70 * 1024 + 5]) {
      const { content, chunks } = chunkContent(new Uint8Array(randomBytes(size)), 4096);
      const n = chunks.length;
      for (let i = 0; i < n; i++) {
        const path = proofFromHexWeb(proofToHex(chunkProof(content, i)))!;
        assert.ok(chunkVerifies(content.root, n, i, chunks[i], path), `chunk ${i} of ${n}`);
        const bad = new Uint8Array(chunks[i]);
        bad[0] ^= 1;
        assert.equal(chunkVerifies(content.root, n, i, bad, path), false);
        if (n > 1) assert.equal(chunkVerifies(content.root, n, (i + 1) % n, chunks[i], path), false);
        if (path.length > 0) assert.equal(chunkVerifies(content.root, n, i, chunks[i], path.slice(1)), false);
      }
    }
    assert.equal(proofFromHexWeb("zz"), undefined);
  });
});
