import assert from "node:assert/strict";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import { makeSignDoc, serializeSignDoc, type StdFee } from "@cosmjs/amino";
import { encodePubkey } from "@cosmjs/proto-signing";
import { create, toBinary, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { Fee, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { aminoSignBody, aminoSignBytes } from "../chain/tx/amino-sign-doc.ts";
import { aminoJsonEncoder } from "../chain/tx/amino-json.ts";
import { messagePlan } from "../chain/tx/amino-json-options.ts";
import { createModules } from "../modules/index.ts";
import { aroAminoConverters } from "./amino.ts";
import { aroRegistry } from "./index.ts";

const registry = aroRegistry();
const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...aroAminoConverters() });
/** CosmJS's own converters alone: the chain must sign what they write. */
const cosmjsTypes = new AminoTypes(createDefaultAminoConverters());
/** The one CosmJS converter whose amino name is not the SDK's: aroAminoConverters() replaces it. */
const WRONG_IN_COSMJS = "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission";
const A = "aro1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"; // any well-formed strings do: nothing here checks addresses
const B = "aro1qgpqyqszqgpqyqszqgpqyqszqgpqyqszrh8mx2";
const V = "arovaloper1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqxhkdy";
const V2 = "arovaloper1qgpqyqszqgpqyqszqgpqyqszqgpqyqsz4zfp7z";
const coins = [{ denom: "uaro", amount: "1500" }, { denom: "ustake", amount: "7" }];
const description = { moniker: "val <one>", identity: "ID", website: "https://v.example", securityContact: "sec@v.example", details: "runs & runs" };
const ed25519 = encodePubkey({ type: "tendermint/PubKeyEd25519", value: Buffer.alloc(32, 9).toString("base64") });

/** Every Cosmos message arod routes that CosmJS has an amino converter for, every field set. */
const cosmjsCovered: Record<string, unknown> = {
  "/cosmos.bank.v1beta1.MsgSend": { fromAddress: A, toAddress: B, amount: coins },
  "/cosmos.bank.v1beta1.MsgMultiSend": { inputs: [{ address: A, coins }], outputs: [{ address: B, coins: coins.slice(0, 1) }, { address: A, coins: coins.slice(1) }] },
  "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress": { delegatorAddress: A, withdrawAddress: B },
  "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward": { delegatorAddress: A, validatorAddress: V },
  "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission": { validatorAddress: V },
  "/cosmos.distribution.v1beta1.MsgFundCommunityPool": { amount: coins, depositor: A },
  "/cosmos.gov.v1beta1.MsgDeposit": { proposalId: 12n, depositor: A, amount: coins },
  "/cosmos.gov.v1beta1.MsgVote": { proposalId: 12n, voter: A, option: 3 },
  "/cosmos.gov.v1beta1.MsgVoteWeighted": { proposalId: 12n, voter: A, options: [{ option: 1, weight: "700000000000000000" }, { option: 2, weight: "300000000000000000" }] },
  "/cosmos.staking.v1beta1.MsgCreateValidator": {
    description, commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
    minSelfDelegation: "1", delegatorAddress: A, validatorAddress: V, pubkey: ed25519, value: coins[0],
  },
  "/cosmos.staking.v1beta1.MsgEditValidator": { description, validatorAddress: V, commissionRate: "150000000000000000", minSelfDelegation: "5" },
  "/cosmos.staking.v1beta1.MsgDelegate": { delegatorAddress: A, validatorAddress: V, amount: coins[0] },
  "/cosmos.staking.v1beta1.MsgUndelegate": { delegatorAddress: A, validatorAddress: V, amount: coins[0] },
  "/cosmos.staking.v1beta1.MsgBeginRedelegate": { delegatorAddress: A, validatorSrcAddress: V, validatorDstAddress: V2, amount: coins[0] },
};

/** A sample of every field of a message type, from its descriptor (each Any a MsgSend). */
function sample(desc: DescMessage, depth = 0): Record<string, unknown> {
  if (desc.typeName === "google.protobuf.Any") return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: registry.encode({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: cosmjsCovered["/cosmos.bank.v1beta1.MsgSend"] }) };
  if (desc.typeName === "google.protobuf.Timestamp") return { seconds: 1_700_000_000n, nanos: 250_000_000 };
  if (desc.typeName === "google.protobuf.Duration") return { seconds: 3_600n, nanos: 0 };
  const plan = messagePlan(aminoJsonEncoder().registry, desc);
  const init: Record<string, unknown> = {};
  for (const { field, encoding } of plan.fields) {
    const one = (): unknown => value(field, encoding, depth);
    init[field.localName] = field.fieldKind === "list" ? [one(), one()] : one();
  }
  return init;
}

function value(field: DescField, encoding: string | undefined, depth: number): unknown {
  const number = encoding === "cosmos_int" ? "123456789" : encoding === "legacy_dec" ? "250000000000000000" : undefined;
  // cosmos.Dec and cosmos.Int fields hold the number's text, in a string or in bytes (slashing's params)
  if (number !== undefined) return field.scalar === ScalarType.BYTES ? new TextEncoder().encode(number) : number;
  const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
  if (kind === "message") return depth > 4 ? {} : sample(field.message!, depth + 1);
  if (kind === "enum") return field.enum!.values.at(-1)!.number;
  switch (field.scalar) {
    case ScalarType.STRING: return `${field.name} <&>`;
    case ScalarType.BOOL: return true;
    case ScalarType.BYTES: return Uint8Array.of(1, 2, 250);
    case ScalarType.INT64: case ScalarType.UINT64: case ScalarType.SINT64: case ScalarType.FIXED64: case ScalarType.SFIXED64: return 9_007_199_254_740_993n;
    default: return 7;
  }
}

const fee: StdFee = { amount: [{ denom: "uaro", amount: "5000" }], gas: "200000" };

describe("client: amino JSON converters (Ledger signing)", () => {
  for (const [typeUrl, value] of Object.entries(cosmjsCovered)) {
    it(`${typeUrl}: the chain's sign bytes are CosmJS's serializeSignDoc`, () => {
      const msg = { typeUrl, value };
      const types = typeUrl === WRONG_IN_COSMJS ? aminoTypes : cosmjsTypes;
      const cosmjs = serializeSignDoc(makeSignDoc([types.toAmino(msg)], fee, "aro-test-1", "memo <&>", 7, 3, 99n));
      const body = TxBody.fromPartial({ messages: [{ typeUrl, value: registry.encode(msg) }], memo: "memo <&>", timeoutHeight: 99n });
      const chain = aminoSignBytes(aminoSignBody(body, Fee.fromPartial({ amount: [...fee.amount], gasLimit: 200000n })), "aro-test-1", 7n, 3n);
      assert.equal(Buffer.from(chain).toString(), Buffer.from(cosmjs).toString());
    });
  }

  it(`${WRONG_IN_COSMJS}: CosmJS names it otherwise than the SDK, aroAminoConverters() signs it by the SDK's name`, () => {
    const msg = { typeUrl: WRONG_IN_COSMJS, value: cosmjsCovered[WRONG_IN_COSMJS] };
    assert.equal(cosmjsTypes.toAmino(msg).type, "cosmos-sdk/MsgWithdrawValidatorCommission");
    assert.deepEqual(aminoTypes.toAmino(msg), { type: "cosmos-sdk/MsgWithdrawValCommission", value: { validator_address: V } });
  });

  it("every message arod routes has an amino name (Aro's aro/<module>/<Msg>, at most 39 characters for Ledger) and a converter", () => {
    const enc = aminoJsonEncoder();
    const converters = { ...createDefaultAminoConverters(), ...aroAminoConverters() };
    for (const m of createModules()) for (const r of m.msgs ?? []) {
      const name = enc.aminoName(r.typeUrl);
      assert.ok(name, `${r.typeUrl} has an amino name`);
      assert.ok(name.length <= 39, `${name} fits a Ledger`);
      if (r.typeUrl.startsWith("/aro.")) assert.equal(name, `aro/${r.typeUrl.split(".")[1]}/${r.typeUrl.split(".").at(-1)}`);
      assert.equal(converters[r.typeUrl]?.aminoType, name, `${r.typeUrl} has a converter`);
    }
  });

  for (const [typeUrl, converter] of Object.entries(aroAminoConverters())) {
    it(`${typeUrl} (${converter.aminoType}): toAmino then fromAmino gives the message back`, () => {
      const desc = aminoJsonEncoder().schema(typeUrl);
      const type = registry.lookupType(typeUrl)!;
      const bytes = toBinary(desc, create(desc, sample(desc) as never));
      const json = converter.toAmino(type.decode(bytes));
      const back = converter.fromAmino(json);
      assert.deepEqual(registry.encode({ typeUrl, value: back }), bytes);
      assert.deepEqual(converter.toAmino(back), json);
      assert.match(JSON.stringify(json), /\\u003c|</, "strings came through");
    });
  }
});
