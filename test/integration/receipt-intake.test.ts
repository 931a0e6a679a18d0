import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { ServedLedger } from "../../workers/dts/served-ledger.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { ReceiptSigner } from "../../client/receipts/receipt-signer.ts";

describe("PeerDTS receipts: a node keeps a receipt only for bytes it served", () => {
  it("the ledger: take what was served, no more; refund; bounded by content count", () => {
    const l = new ServedLedger(2);
    l.served("a", 100);
    assert.equal(l.take("a", 101), false);
    assert.equal(l.available("a"), 100, "a refused take takes nothing");
    assert.equal(l.take("a", 60), true);
    assert.equal(l.take("a", 60), false);
    l.refund("a", 60);
    assert.equal(l.available("a"), 100);
    l.served("b", 1);
    l.served("a", 1); // a is now the most recent
    l.served("c", 1); // evicts b, the least recently served
    assert.deepEqual([l.available("a"), l.available("b"), l.available("c")], [101, 0, 1]);
  });

  describe("POST /receipt on a real server", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-receipts-"));
    const data = new Uint8Array(randomBytes(10_000));
    const { content, chunks } = chunkContent(data, 1024);
    const kept: Receipt[] = [];
    let refuseNext = false;
    let server: Awaited<ReturnType<typeof startDtsHttp>>;
    let signer: ReceiptSigner;
    before(async () => {
      const store = new Blockstore(dir);
      store.put(content, chunks);
      const sink = {
        async accept(r: Receipt) {
          if (refuseNext) throw new Error("the sink refuses it");
          kept.push(r);
        },
      };
      server = await startDtsHttp(new DtsService(store, { receipts: sink }));
      signer = await ReceiptSigner.fromPrivateKey(randomBytes(32));
    });
    after(async () => {
      await server?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const post = async (r: Partial<Receipt>) => {
      const signed = await signer.sign({ nodeId: 1n, contentId: content.root, rangeStart: 0n, rangeEnd: 1024n, epoch: 1n, nonce: 1n, ...r });
      const res = await fetch(`${server.url}/receipt`, { method: "POST", body: Receipt.encode(signed).finish() });
      return { status: res.status, text: await res.text() };
    };

    it("nothing served yet: refused, and the sink never sees it", async () => {
      const r = await post({});
      assert.equal(r.status, 400);
      assert.match(r.text, /claims 1024 bytes .*served 0 bytes/);
      assert.equal(kept.length, 0);
    });

    it("after two chunks are served: receipts up to 2048 bytes are kept, the rest refused", async () => {
      for (const i of [0, 1]) assert.equal((await fetch(`${server.url}/chunk/${content.root}/${i}`)).status, 200);
      // HEAD sends nothing, so it earns nothing
      assert.equal((await fetch(`${server.url}/chunk/${content.root}/2`, { method: "HEAD" })).status, 200);
      assert.equal((await post({ rangeEnd: 3072n, nonce: 2n })).status, 400);
      assert.equal((await post({ rangeEnd: 1024n, nonce: 3n })).status, 200);
      refuseNext = true;
      const refused = await post({ rangeStart: 1024n, rangeEnd: 2048n, nonce: 4n });
      assert.equal(refused.status, 400);
      assert.match(refused.text, /the sink refuses it/);
      refuseNext = false;
      assert.equal((await post({ rangeStart: 1024n, rangeEnd: 2048n, nonce: 5n })).status, 200, "what the sink refused is given back");
      assert.equal((await post({ rangeStart: 0n, rangeEnd: 1n, nonce: 6n })).status, 400, "all served bytes are receipted now");
      assert.deepEqual(kept.map((r) => r.nonce), [3n, 5n]);
    });

    it("a range past the content's end, or a content not held: refused", async () => {
      const past = await post({ rangeStart: 0n, rangeEnd: 1n << 40n, nonce: 7n });
      assert.equal(past.status, 400);
      assert.match(past.text, /not within the content's 10000 bytes/);
      const other = await post({ contentId: "ab".repeat(32), nonce: 8n });
      assert.equal(other.status, 400);
      assert.match(other.text, /does not hold/);
      assert.equal(kept.length, 2);
    });
  });
});
