import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Chunker } from "./chunker.ts";

describe("Chunker: pieces of any size cut into fixed-size chunks", () => {
  it("gives every whole chunk as it completes and the short last one at the end, whatever the pieces", () => {
    const data = randomBytes(10 * 1000 + 333);
    for (const piece of [1, 999, 1000, 1001, 4096, data.length]) {
      const got: Buffer[] = [];
      const c = new Chunker(1000, (chunk) => got.push(Buffer.from(chunk)));
      for (let at = 0; at < data.length; at += piece) c.push(data.subarray(at, at + piece));
      assert.equal(got.length, 10, `pieces of ${piece}: the short last chunk waits for end()`);
      c.end();
      assert.equal(c.size, data.length);
      assert.deepEqual(got.map((g) => g.length), [...Array(10).fill(1000), 333]);
      assert.ok(Buffer.concat(got).equals(data), `pieces of ${piece}`);
    }
    const none = new Chunker(1000, () => assert.fail("no bytes, no chunk"));
    none.end();
  });
});
