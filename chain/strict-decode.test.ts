import assert from "node:assert/strict";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { decodeTx } from "./tx/decode.ts";
import { AppError } from "./errors.ts";
import { decodeStrict, UnknownFieldError } from "./strict-decode.ts";
import { bankMsgs } from "../modules/bank/msgs.ts";
import { gpowMsgs } from "../modules/gpow/msgs/index.ts";
import { MsgSubmitClaim } from "../proto/gen/aro/gpow/v1/tx.ts";
import { newAccount } from "../app/testnet/local-node.ts";
import { sendMsg, signTx } from "../test/support/sign.ts";
import { concat, fields, lenField, varintField } from "../test/support/wire.ts";

const routes = new Map([...bankMsgs, ...gpowMsgs].map((r) => [r.typeUrl, r]));

function refusal(bytes: Uint8Array): string {
  try {
    decodeTx(bytes, routes);
  } catch (e) {
    if (e instanceof AppError) return `${e.codespace}/${e.code}: ${e.message}`;
    throw e;
  }
  return "accepted";
}

describe("tx: one signed tx, one encoding (ADR-027) and no unknown fields (ADR-020)", () => {
  let raw: TxRaw;
  let bytes: Uint8Array;
  let body: Uint8Array;
  let auth: Uint8Array;
  let sig: Uint8Array;
  before(async () => {
    const a = await newAccount();
    ({ raw, bytes } = await signTx({ wallet: a.wallet, chainId: "c", accountNumber: 0n, sequence: 0n, messages: [sendMsg(a.address, a.address, [{ denom: "uaro", amount: "1" }])] }));
    [body, auth, sig] = [raw.bodyBytes, raw.authInfoBytes, raw.signatures[0]];
  });

  it("the canonical bytes decode", () => {
    assert.equal(refusal(bytes), "accepted");
    assert.deepEqual(concat(lenField(1, body), lenField(2, auth), lenField(3, sig)), bytes, "the hand-made encoding is the canonical one");
  });

  const malleations: Array<[string, () => Uint8Array]> = [
    ["an unknown field appended to TxRaw", () => concat(bytes, varintField(4, 1))],
    ["an unknown length-delimited field in front", () => concat(lenField(9, Uint8Array.of(1)), bytes)],
    ["a non-minimal length varint", () => concat(lenField(1, body, { lengthPad: 1 }), lenField(2, auth), lenField(3, sig))],
    ["a length encoded as 2^32 + L", () => concat(lenField(1, body, { lengthAdd: 1n << 32n }), lenField(2, auth), lenField(3, sig))],
    ["the body field twice", () => concat(lenField(1, body), lenField(1, body), lenField(2, auth), lenField(3, sig))],
    ["fields out of order", () => concat(lenField(2, auth), lenField(1, body), lenField(3, sig))],
    ["auth info with wire type 6 (tag 0x16 for 0x12)", () => concat(lenField(1, body), lenField(2, auth, { wireType: 6 }), lenField(3, sig))],
  ];
  for (const [what, make] of malleations) {
    it(`refuses ${what}: sdk/2`, () => {
      const m = make();
      assert.notDeepEqual(m, bytes);
      assert.match(refusal(m), /^sdk\/2: TxRaw is not canonically encoded/);
    });
  }

  const withBody = (b: Uint8Array) => TxRaw.encode({ bodyBytes: b, authInfoBytes: auth, signatures: [sig] }).finish();
  const withAuth = (a: Uint8Array) => TxRaw.encode({ bodyBytes: body, authInfoBytes: a, signatures: [sig] }).finish();

  it("unknown critical fields: in auth info (field 10), the body (field 20) and a message (MsgSend field 4): sdk/2", () => {
    assert.match(refusal(withAuth(concat(auth, varintField(10, 1)))), /^sdk\/2: cannot decode AuthInfo: field 10 .*not a field/);
    assert.match(refusal(withBody(concat(body, varintField(20, 1)))), /^sdk\/2: cannot decode TxBody: field 20/);
    const tx = TxBody.decode(body);
    const send = concat(tx.messages[0].value, varintField(4, 7));
    const b = TxBody.encode({ ...tx, messages: [{ typeUrl: tx.messages[0].typeUrl, value: send }] }).finish();
    assert.match(refusal(withBody(b)), /^sdk\/2: cannot decode \/cosmos\.bank\.v1beta1\.MsgSend: field 4/);
  });

  it("TxBody fields 4 (unordered) and 5 (timeout_timestamp), from SDK v0.53, are refused even holding their default value: sdk/2", () => {
    // the last one hides field 4 inside field 3 (timeout height) sent as length-delimited: the decoder reads 4 as a field
    for (const f of [varintField(4, 1), varintField(4, 0), lenField(5, varintField(1, 1)), lenField(3, varintField(4, 1))]) {
      assert.match(refusal(withBody(concat(body, f))), /^sdk\/2: cannot decode TxBody: field [45] \((unordered|timeout_timestamp)\) is not supported/);
    }
    // the memo (field 2) as a varint that the generated decoder reads as a 3-byte string: coded, never internal
    assert.match(refusal(withBody(concat(body, varintField(2, 3), Uint8Array.of(0x61, 0x62, 0x63)))), /^sdk\/2: cannot decode TxBody/);
  });

  it("non-critical fields (bit 11 set) pass in the body and its messages, never in auth info", () => {
    assert.equal(refusal(withBody(concat(body, varintField(1030, 1)))), "accepted");
    assert.match(refusal(withAuth(concat(auth, varintField(1030, 1)))), /^sdk\/2: cannot decode AuthInfo: field 1030/);
  });

  it("an unknown field nested in a known one (the fee inside auth info) is refused too", () => {
    const info = AuthInfo.decode(auth);
    const f = fields(auth);
    const feeField = f.find((x) => x.no === 2)!;
    const rebuilt = concat(...f.filter((x) => x.no !== 2).map((x) => x.raw), lenField(2, concat(feeField.payload!, varintField(9, 1))));
    assert.ok(info.fee);
    assert.match(refusal(withAuth(rebuilt)), /^sdk\/2: cannot decode AuthInfo: field 9/);
  });

  it("Aro's messages: a known field with the wrong wire type, and bytes after a zero tag, are refused", () => {
    const claim = MsgSubmitClaim.encode({ operator: "aro1x", nodeId: 1n, epoch: 2n, root: new Uint8Array(32), totalBytes: 1n, count: 1n, clientTotals: [] }).finish();
    assert.equal(decodeStrict(MsgSubmitClaim, claim).nodeId, 1n);
    // field 2 (node_id) sent as length-delimited instead of varint
    assert.throws(() => decodeStrict(MsgSubmitClaim, concat(claim, lenField(2, Uint8Array.of(1)))), UnknownFieldError);
    assert.throws(() => decodeStrict(MsgSubmitClaim, concat(claim, Uint8Array.of(0, 1, 2))), /bytes after the end/);
    assert.throws(() => decodeStrict(MsgSubmitClaim, concat(claim, varintField(99, 1))), /field 99/);
    assert.throws(() => decodeStrict(MsgSend, concat(MsgSend.encode({ fromAddress: "a", toAddress: "b", amount: [] }).finish(), varintField(4, 1))), /field 4/);
  });
});
