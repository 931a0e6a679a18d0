import assert from "node:assert/strict";
import { Response } from "cosmjs-types/tendermint/abci/types";
import { FrameDecoder, encodeFrame } from "./framing.ts";

describe("abci: unsigned-varint framing", () => {
  it("frames a flush response as CometBFT expects (02 1a 00)", () => {
    assert.equal(Buffer.from(encodeFrame(Response.encode({ flush: {} }).finish())).toString("hex"), "021a00");
  });

  it("reassembles frames split across chunks and several frames per chunk", () => {
    const big = new Uint8Array(300).fill(7);
    const wire = Buffer.concat([encodeFrame(Uint8Array.of(1)), encodeFrame(big), encodeFrame(Uint8Array.of(2, 3))]);
    const d = new FrameDecoder();
    const out = [...d.push(wire.subarray(0, 2)), ...d.push(wire.subarray(2, 150)), ...d.push(wire.subarray(150))];
    assert.deepEqual(out.map((f) => f.length), [1, 300, 2]);
    assert.equal(Buffer.from(encodeFrame(big).subarray(0, 2)).toString("hex"), "ac02", "300 = varint ac 02, not zigzag");
  });
});
