import assert from "node:assert/strict";
import { Content } from "../../proto/gen/aro/market/v1/market.ts";
import { MsgPublishContent } from "../../proto/gen/aro/market/v1/tx.ts";
import { addressFromBytes } from "../../chain/address.ts";
import { marketErrors } from "./errors.ts";
import { marketMsgs } from "./msgs.ts";

const publish = marketMsgs.find((r) => r.typeUrl === "/aro.market.v1.MsgPublishContent")!;
const msg = (mediaType: string) => MsgPublishContent.fromPartial({
  owner: addressFromBytes(new Uint8Array(20).fill(1)), root: "ab".repeat(32), size: 10n, replication: 1, regions: [], epochs: 1n, mediaType,
});

/** A content record as the chain stored it before media_type existed (encoded by that version's code). */
const STORED_BEFORE = "0807122a61726f31717971737a716770717971737a716770717971737a716770717971737a7167706a6e703764751a406162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616220808040288080103004380242066575726f70654a020103500c5803603c6a073632393134353672040801100e";

describe("market: media type of published content", () => {
  it("a content stored before media_type existed decodes with an empty one and encodes to the same bytes (same app hash)", () => {
    const c = Content.decode(Buffer.from(STORED_BEFORE, "hex"));
    assert.equal(c.mediaType, "");
    assert.equal(c.root, "ab".repeat(32));
    assert.equal(Buffer.from(Content.encode(c).finish()).toString("hex"), STORED_BEFORE);
  });

  it("a media type is stored as field 16 after the rest and read back", () => {
    const bytes = Content.encode({ ...Content.decode(Buffer.from(STORED_BEFORE, "hex")), mediaType: "text/css" }).finish();
    assert.equal(Buffer.from(bytes).toString("hex"), STORED_BEFORE + "8201" + "08" + Buffer.from("text/css").toString("hex"));
    assert.equal(Content.decode(bytes).mediaType, "text/css");
  });

  it("MsgPublishContent's stateless check takes an empty or valid media type", () => {
    for (const t of ["", "text/html; charset=utf-8", "application/octet-stream"]) publish.validate(msg(t));
  });

  it("MsgPublishContent's stateless check refuses a malformed or over-long media type with market/13", () => {
    for (const t of ["Text/Html", "text/html\r\nset-cookie: a=b", "text", `application/${"x".repeat(120)}`]) {
      assert.throws(() => publish.validate(msg(t)), (err: unknown) => {
        assert.ok(marketErrors.invalidMediaType.is(err), String(err));
        assert.match((err as Error).message, /invalid media type$/);
        return true;
      }, t);
    }
  });
});
