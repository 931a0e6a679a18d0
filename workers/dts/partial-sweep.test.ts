import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { sweepPartials } from "./partial-sweep.ts";

describe("a node's unfinished contents that nobody pays for are removed", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-sweep-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("drops a partial content neither assigned nor being fetched; keeps assigned, fetching and complete ones", () => {
    const store = new Blockstore(dir);
    const make = () => chunkContent(new Uint8Array(randomBytes(3000)), 1024);
    const [gone, assigned, fetching, complete] = [make(), make(), make(), make()];
    for (const c of [gone, assigned, fetching]) {
      store.begin(c.content);
      store.writeChunk(c.content.root, 0, c.chunks[0]);
    }
    store.put(complete.content, complete.chunks);
    assert.deepEqual(store.partials(), [gone, assigned, fetching].map((c) => c.content.root).sort());
    const dropped = sweepPartials(store, new Set([assigned.content.root]), new Set([fetching.content.root]));
    assert.deepEqual(dropped, [gone.content.root]);
    assert.equal(fs.existsSync(path.join(dir, gone.content.root)), false, "its folder is gone");
    assert.deepEqual(store.partials(), [assigned.content.root, fetching.content.root].sort());
    assert.deepEqual(new Blockstore(dir).list(), [complete.content.root], "complete content is the pinner's to drop (dropIfGone), not the sweep's");
  });
});
