import assert from "node:assert/strict";
import { Fee, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { AppError } from "../errors.ts";
import { aminoSignBody, aminoSignBytes } from "./amino-sign-doc.ts";
import { aminoJsonEncoder } from "./amino-json.ts";
import { toCamel } from "./amino-json-options.ts";
import { durationJson, goJsonString, legacyDecFromJson, legacyDecJson, timestampFromJson, timestampJson } from "./amino-json-values.ts";

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return `${e.codespace}/${e.code}`;
    throw e;
  }
};

// The SDK's own goldens: x/bank/types/msgs_test.go (TestMsgSendGetSignBytes) for the message and
// x/auth/migrations/legacytx/stdtx_test.go (TestStdSignBytes) for the envelope around it.
const FROM = "cosmos1d9h8qat57ljhcm"; // sdk.AccAddress("input")
const TO = "cosmos1da6hgur4wsmpnjyg"; // sdk.AccAddress("output")
const SEND_JSON = `{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"10","denom":"atom"}],"from_address":"${FROM}","to_address":"${TO}"}}`;
const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: FROM, toAddress: TO, amount: [{ denom: "atom", amount: "10" }] }).finish() };
const PAYER = "cosmos1payer"; // any string: the SDK's test uses its key's address
const DEFAULT_FEE = { amount: [{ denom: "atom", amount: "150" }], gasLimit: 100000n };

function signDoc(timeoutHeight: bigint, fee: Partial<Fee>, msgs = [send], memo = "memo"): string {
  const body = aminoSignBody(TxBody.fromPartial({ messages: msgs, memo, timeoutHeight }), Fee.fromPartial(fee));
  return Buffer.from(aminoSignBytes(body, "1234", 3n, 6n)).toString("utf8");
}

describe("tx: amino JSON sign bytes (SIGN_MODE_LEGACY_AMINO_JSON)", () => {
  it("writes a MsgSend as the SDK does", () => {
    assert.equal(aminoJsonEncoder().any(send.typeUrl, send.value), SEND_JSON);
  });

  it("writes the StdSignDoc the SDK's TestStdSignBytes expects, for each fee and timeout case", () => {
    const cases: Array<[bigint, Partial<Fee>, string]> = [
      [10n, DEFAULT_FEE, `{"account_number":"3","chain_id":"1234","fee":{"amount":[{"amount":"150","denom":"atom"}],"gas":"100000"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6","timeout_height":"10"}`],
      [0n, DEFAULT_FEE, `{"account_number":"3","chain_id":"1234","fee":{"amount":[{"amount":"150","denom":"atom"}],"gas":"100000"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6"}`],
      [0n, {}, `{"account_number":"3","chain_id":"1234","fee":{"amount":[],"gas":"0"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6"}`],
      [0n, { ...DEFAULT_FEE, granter: PAYER }, `{"account_number":"3","chain_id":"1234","fee":{"amount":[{"amount":"150","denom":"atom"}],"gas":"100000","granter":"${PAYER}"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6"}`],
      [0n, { ...DEFAULT_FEE, payer: PAYER }, `{"account_number":"3","chain_id":"1234","fee":{"amount":[{"amount":"150","denom":"atom"}],"gas":"100000","payer":"${PAYER}"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6"}`],
      [0n, { ...DEFAULT_FEE, payer: PAYER, granter: PAYER }, `{"account_number":"3","chain_id":"1234","fee":{"amount":[{"amount":"150","denom":"atom"}],"gas":"100000","granter":"${PAYER}","payer":"${PAYER}"},"memo":"memo","msgs":[${SEND_JSON}],"sequence":"6"}`],
    ];
    for (const [timeout, fee, want] of cases) assert.equal(signDoc(timeout, fee), want);
  });

  it("escapes strings as Go's encoding/json does (HTML characters, U+2028/9, control characters)", () => {
    assert.equal(goJsonString("a<b>&c\u2028\u2029\"\\\n\t\b\f\u0001é"), String.raw`"a\u003cb\u003e\u0026c\u2028\u2029\"\\\n\t\b\f\u0001é"`);
    assert.match(signDoc(0n, DEFAULT_FEE, [send], "<script>"), /"memo":"\\u003cscript\\u003e"/);
  });

  it("leaves out empty fields, keeps dont_omitempty ones (an empty coin list is [])", () => {
    const empty = MsgSend.encode({ fromAddress: FROM, toAddress: "", amount: [] }).finish();
    assert.equal(aminoJsonEncoder().any(send.typeUrl, empty), `{"type":"cosmos-sdk/MsgSend","value":{"amount":[],"from_address":"${FROM}"}}`);
  });

  it("writes times, durations and LegacyDecs as the SDK does, and reads them back", () => {
    // x/authz/msgs_test.go: a grant expiring at 0001-01-01T02:01:01.000000001Z
    assert.equal(timestampJson(-62135596800n + 7261n, 1), `"0001-01-01T02:01:01.000000001Z"`);
    assert.equal(timestampJson(0n, 0), `"1970-01-01T00:00:00Z"`);
    assert.equal(timestampJson(1700000000n, 500_000_000), `"2023-11-14T22:13:20.5Z"`);
    assert.equal(timestampJson(951782400n, 0), `"2000-02-29T00:00:00Z"`);
    assert.deepEqual(timestampFromJson("2023-11-14T22:13:20.5Z"), { seconds: 1700000000n, nanos: 500_000_000 });
    assert.deepEqual(timestampFromJson("0001-01-01T02:01:01.000000001Z"), { seconds: -62135596800n + 7261n, nanos: 1 });
    assert.throws(() => timestampJson(0n, -1), /non-negative/);
    assert.equal(durationJson(60n, 5), `"60000000005"`);
    assert.throws(() => durationJson(9223372036n, 0), /overflow/);
    assert.equal(legacyDecJson("100000000000000000"), `"0.100000000000000000"`);
    assert.equal(legacyDecJson("1"), `"0.000000000000000001"`);
    assert.equal(legacyDecJson("25000000000000000000"), `"25.000000000000000000"`);
    assert.equal(legacyDecJson("-5"), `"-0.000000000000000005"`);
    assert.equal(legacyDecJson(""), `"0"`);
    assert.throws(() => legacyDecJson("010"), /canonical/);
    assert.equal(legacyDecFromJson("0.100000000000000000"), "100000000000000000");
    assert.equal(legacyDecFromJson("0"), "");
    assert.equal(toCamel("sum"), "Sum");
    assert.equal(toCamel("my_oneof_2x"), "MyOneof2X");
  });

  it("writes a public key in an Any by its amino name and key bytes", () => {
    const key = new Uint8Array(32).fill(7);
    const any = aminoJsonEncoder().any("/cosmos.crypto.ed25519.PubKey", Uint8Array.of(10, 32, ...key));
    assert.equal(any, `{"type":"tendermint/PubKeyEd25519","value":"${Buffer.from(key).toString("base64")}"}`);
  });

  it("refuses a message without an amino name (sdk/37), unknown or undecodable message fields (sdk/4)", () => {
    const unnamed = { typeUrl: "/cosmos.bank.v1beta1.Input", value: new Uint8Array() };
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [unnamed])), "sdk/37");
    const unknownField = { typeUrl: send.typeUrl, value: Uint8Array.from([...send.value, 0xb8, 0x40, 0x01]) }; // field 1031 (non-critical), varint
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [unknownField])), "sdk/4");
    const truncated = { typeUrl: send.typeUrl, value: send.value.subarray(0, 5) };
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [truncated])), "sdk/4");
  });

  it("refuses message bytes two decoders could read apart: a message field twice, invalid UTF-8 (sdk/4)", () => {
    const coin = (denom: string, amount = "") => Coin.encode({ denom, amount }).finish();
    const head = MsgDelegate.encode({ delegatorAddress: "a", validatorAddress: "b" } as MsgDelegate).finish();
    const delegate = (...amounts: Uint8Array[]) => ({ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: Uint8Array.from([...head, ...amounts.flatMap((c) => [0x1a, c.length, ...c])]) });
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [delegate(coin("atom", "10"))])), "ok");
    // amount twice: CosmJS's decoder (the chain's) keeps the second alone, {atom, ""}; protobuf merges them, {atom, 10}
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [delegate(coin("atom", "10"), coin("atom"))])), "sdk/4");
    const badUtf8 = { typeUrl: send.typeUrl, value: Uint8Array.from([0x0a, 0x02, 0xff, 0xfe, ...send.value.subarray(2 + FROM.length)]) };
    assert.equal(codeOf(() => signDoc(0n, DEFAULT_FEE, [badUtf8])), "sdk/4");
  });
});
