/**
 * Amino JSON converters for signing Aro txs with SIGN_MODE_LEGACY_AMINO_JSON (Ledger, through
 * Keplr or CosmJS): every Aro message, and the SDK messages arod serves that CosmJS's
 * createDefaultAminoConverters() lacks (gov v1, upgrade, MsgUnjail, the MsgUpdateParams, ...).
 * They come from the same descriptors and encoder the chain checks signatures with
 * (chain/tx/amino-json.ts), so what a wallet shows and signs is what the chain rebuilds.
 *
 *   const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...aroAminoConverters() });
 *   const client = await SigningStargateClient.connectWithSigner(rpc, aminoWallet, { registry: aroRegistry(), aminoTypes });
 */
import type { AminoConverter, AminoConverters } from "@cosmjs/stargate";
import type { Registry as CosmRegistry } from "@cosmjs/proto-signing";
import { toBinary } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { aminoJsonEncoder } from "../chain/tx/amino-json.ts";
import { AminoJsonDecoder } from "./amino-json-decode.ts";
import { aroRegistry, aroTypes } from "./index.ts";

/**
 * SDK messages arod routes that CosmJS's default amino converters do not cover, or cover
 * with another amino name than the SDK's (MsgWithdrawValidatorCommission: the SDK signs it as
 * "cosmos-sdk/MsgWithdrawValCommission", CosmJS as "cosmos-sdk/MsgWithdrawValidatorCommission").
 */
export const sdkAminoTypeUrls: readonly string[] = [
  "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
  "/cosmos.gov.v1.MsgSubmitProposal",
  "/cosmos.gov.v1.MsgDeposit",
  "/cosmos.gov.v1.MsgVote",
  "/cosmos.gov.v1.MsgVoteWeighted",
  "/cosmos.gov.v1.MsgUpdateParams",
  "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
  "/cosmos.upgrade.v1beta1.MsgCancelUpgrade",
  "/cosmos.slashing.v1beta1.MsgUnjail",
  "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
  "/cosmos.distribution.v1beta1.MsgDepositValidatorRewardsPool",
  "/cosmos.auth.v1beta1.MsgUpdateParams",
  "/cosmos.bank.v1beta1.MsgUpdateParams",
  "/cosmos.mint.v1beta1.MsgUpdateParams",
  "/cosmos.staking.v1beta1.MsgUpdateParams",
  "/cosmos.distribution.v1beta1.MsgUpdateParams",
  "/cosmos.slashing.v1beta1.MsgUpdateParams",
];

/**
 * The converter of one message type: toAmino encodes the CosmJS message object (through the
 * registry's generated type) and writes the bytes as amino JSON; fromAmino reads the JSON
 * back into bytes and decodes them into the generated type's object.
 */
export function aminoConverterFor(typeUrl: string, registry: CosmRegistry = aroRegistry()): AminoConverter {
  const encoder = aminoJsonEncoder();
  const decoder = new AminoJsonDecoder(encoder.registry);
  const desc = encoder.schema(typeUrl);
  const aminoType = encoder.aminoName(typeUrl);
  if (aminoType === undefined) throw new Error(`${typeUrl} has no amino name: it can only be signed with SIGN_MODE_DIRECT`);
  const type = registry.lookupType(typeUrl);
  if (!type) throw new Error(`${typeUrl} is not in the registry`);
  return {
    aminoType,
    toAmino: (value: unknown) => {
      const bytes = registry.encode({ typeUrl, value });
      return JSON.parse(encoder.message(reflect(desc, encoder.decode(desc, bytes))));
    },
    fromAmino: (json: unknown) => type.decode(toBinary(desc, decoder.message(desc, json))),
  };
}

/** Converters for every Aro message and for the SDK messages in sdkAminoTypeUrls. */
export function aroAminoConverters(registry: CosmRegistry = aroRegistry()): AminoConverters {
  const typeUrls = [...aroTypes.map(([typeUrl]) => typeUrl), ...sdkAminoTypeUrls];
  return Object.fromEntries(typeUrls.map((typeUrl) => [typeUrl, aminoConverterFor(typeUrl, registry)]));
}
