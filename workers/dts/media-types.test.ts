import assert from "node:assert/strict";
import type { QueryContentByRootResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { Content } from "../../proto/gen/aro/market/v1/market.ts";
import { chainMediaTypes, type ContentByRootQuery } from "./media-types.ts";

const root = (n: number) => n.toString(16).padStart(64, "0");

/** A market query answering from a table, counting calls; a root missing from it is "content not found". */
function fakeMarket(types: Record<string, string>, behaviour: { hang?: boolean; throwSync?: boolean } = {}) {
  const calls: string[] = [];
  const market: ContentByRootQuery = {
    ContentByRoot({ root: r }): Promise<QueryContentByRootResponse> {
      calls.push(r);
      if (behaviour.throwSync) throw new Error("not connected");
      if (behaviour.hang) return new Promise(() => {});
      if (!(r in types)) return Promise.reject(new Error(`root ${r}: content not found`));
      return Promise.resolve({ content: Content.fromPartial({ root: r, mediaType: types[r] }) });
    },
  };
  return { market, calls };
}

describe("dts: chainMediaTypes (root → media type from the chain, bounded LRU)", () => {
  it("answers the published media type, application/octet-stream for an empty one, and asks the chain once per root", async () => {
    const { market, calls } = fakeMarket({ [root(1)]: "text/html; charset=utf-8", [root(2)]: "" });
    const types = chainMediaTypes(market);
    assert.equal(await types.mediaTypeOf(root(1)), "text/html; charset=utf-8");
    assert.equal(await types.mediaTypeOf(root(1)), "text/html; charset=utf-8");
    assert.equal(await types.mediaTypeOf(root(2)), "application/octet-stream");
    const [a, b] = await Promise.all([types.mediaTypeOf(root(2)), types.mediaTypeOf(root(1))]);
    assert.deepEqual([a, b], ["application/octet-stream", "text/html; charset=utf-8"]);
    assert.deepEqual(calls, [root(1), root(2)]);
  });

  it("concurrent lookups of one root share one query", async () => {
    const { market, calls } = fakeMarket({ [root(1)]: "image/png" });
    const types = chainMediaTypes(market);
    assert.deepEqual(await Promise.all([1, 2, 3].map(() => types.mediaTypeOf(root(1)))), ["image/png", "image/png", "image/png"]);
    assert.equal(calls.length, 1);
  });

  it("keeps at most `size` roots, evicting the least recently used", async () => {
    const { market, calls } = fakeMarket(Object.fromEntries([1, 2, 3].map((n) => [root(n), "text/css"])));
    const types = chainMediaTypes(market, { size: 2 });
    await types.mediaTypeOf(root(1));
    await types.mediaTypeOf(root(2));
    await types.mediaTypeOf(root(1)); // 1 is now the most recent
    await types.mediaTypeOf(root(3)); // evicts 2
    assert.equal(types.cached, 2);
    await types.mediaTypeOf(root(1));
    assert.equal(calls.length, 3, "1 stayed");
    await types.mediaTypeOf(root(2));
    assert.equal(calls.length, 4, "2 was evicted and asked again");
    assert.throws(() => chainMediaTypes(market, { size: 0 }), /positive integer/);
  });

  it("an unknown root, a chain that throws, hangs or answers an invalid type: application/octet-stream, logged, not kept", async () => {
    const warned: unknown[] = [];
    const log = { warn: (o: unknown) => void warned.push(o) };
    const missing = fakeMarket({});
    const types = chainMediaTypes(missing.market, { log });
    assert.equal(await types.mediaTypeOf(root(9)), "application/octet-stream");
    assert.equal(await types.mediaTypeOf(root(9)), "application/octet-stream");
    assert.equal(missing.calls.length, 2, "a failure is not kept: the next request asks again");
    assert.equal(types.cached, 0);

    const down = fakeMarket({}, { throwSync: true });
    const t2 = chainMediaTypes(down.market, { log });
    assert.equal(await t2.mediaTypeOf(root(1)), "application/octet-stream");
    assert.equal(await t2.mediaTypeOf(root(1)), "application/octet-stream");
    assert.equal(down.calls.length, 2, "a synchronous throw leaves no stale pending lookup");

    const slow = chainMediaTypes(fakeMarket({}, { hang: true }).market, { timeoutMs: 20, log });
    assert.equal(await slow.mediaTypeOf(root(1)), "application/octet-stream");

    const bad = chainMediaTypes(fakeMarket({ [root(1)]: "Text/HTML\r\nx: y" }).market, { log });
    assert.equal(await bad.mediaTypeOf(root(1)), "application/octet-stream");
    assert.equal(warned.length, 6);
    assert.match(JSON.stringify(warned), /content not found.*not connected.*no answer in 20 ms.*lower-case type/);
  });
});
