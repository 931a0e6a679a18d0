import { TxRaw, TxBody, AuthInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { BinaryReader } from "cosmjs-types/binary";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { sdkErrors } from "../errors.ts";
import { toAmounts, type Amount } from "../coins.ts";
import { sha256 } from "../crypto/secp256k1.ts";
import { validateAddress } from "../address.ts";
import type { MsgRoute } from "../module.ts";
import { decodeStrict } from "../strict-decode.ts";
import { aminoSignBody, type AminoSignBody } from "./amino-sign-doc.ts";

/** Largest tx the app accepts (CometBFT's own mempool limit is 1 MiB). */
export const MAX_TX_BYTES = 256 * 1024;
const SECP256K1_PUBKEY = "/cosmos.crypto.secp256k1.PubKey";

export interface DecodedMsg {
  readonly typeUrl: string;
  readonly route: MsgRoute;
  readonly msg: unknown;
}

/** How a signer signed: the SignDoc's protobuf bytes, or the legacy amino JSON StdSignDoc (Ledger). */
export type SignerMode = "direct" | "amino-json";

export interface SignerSlot {
  readonly address: string;
  readonly mode: SignerMode;
  /** Public key carried in the tx (needed the first time an account signs). */
  readonly pubKey?: Uint8Array;
  readonly sequence: bigint;
  readonly signature: Uint8Array;
}

export interface DecodedTx {
  readonly bytes: Uint8Array;
  /** Upper-case hex sha256 of the tx bytes, as CometBFT reports it. */
  readonly hash: string;
  readonly raw: TxRaw;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly msgs: readonly DecodedMsg[];
  readonly gasLimit: bigint;
  readonly fee: readonly Amount[];
  readonly signers: readonly SignerSlot[];
  /** the tx's part of the amino JSON sign doc, when a signer signed in that mode */
  readonly amino?: AminoSignBody;
}

function decodeOr<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw sdkErrors.txDecode.wrap(`cannot decode ${what}: ${(err as Error).message}`);
  }
}

/**
 * The tx bytes must be the one encoding of their TxRaw (ADR-027: fields in order, each
 * once, minimal varints, right wire types, nothing unknown), so a signed tx has one hash.
 */
function requireCanonical(bytes: Uint8Array, raw: TxRaw): void {
  const again = TxRaw.encode(raw).finish();
  if (again.length !== bytes.length || !again.every((b, i) => b === bytes[i])) {
    throw sdkErrors.txDecode.wrap("TxRaw is not canonically encoded (ADR-027): fields out of order, repeated or unknown, non-minimal varints or wrong wire types");
  }
}

/**
 * TxBody fields 4 (unordered) and 5 (timeout_timestamp) came with the SDK's unordered txs
 * (v0.53): the generated TxBody knows them, the SDK this chain follows (v0.50) does not
 * and refuses them as unknown fields. Taking them as known would run an "unordered" tx
 * as an ordinary one, against what its signer asked for.
 */
const UNSUPPORTED_BODY_FIELDS: ReadonlyMap<number, string> = new Map([[4, "unordered"], [5, "timeout_timestamp"]]);

/** Refuses the unsupported body fields when present at all (even holding their default value). */
function refuseUnsupportedBodyFields(bodyBytes: Uint8Array, body: TxBody): void {
  // what the decoder made of them (it can find them where a plain walk does not: inside a known field sent with the wrong wire type)
  if (body.unordered) throw sdkErrors.txDecode.wrap("cannot decode TxBody: field 4 (unordered) is not supported (no unordered txs)");
  if (body.timeoutTimestamp) throw sdkErrors.txDecode.wrap("cannot decode TxBody: field 5 (timeout_timestamp) is not supported (no unordered txs)");
  const reader = new BinaryReader(bodyBytes);
  while (reader.pos < reader.len) {
    const tag = decodeOr("TxBody", () => reader.uint32());
    const name = UNSUPPORTED_BODY_FIELDS.get(tag >>> 3);
    if (name) throw sdkErrors.txDecode.wrap(`cannot decode TxBody: field ${tag >>> 3} (${name}) is not supported (no unordered txs)`);
    // the decoder read these bytes, but a known field with the wrong wire type can still trip a plain walk
    decodeOr("TxBody", () => reader.skipType(tag & 7));
  }
}

/**
 * An amino JSON signature covers the body's messages, memo and timeout only: unknown body
 * fields, even non-critical ones, would ride along unsigned, so they are refused (as the
 * SDK's amino JSON handler does); inside messages the encoder refuses them.
 */
function aminoBody(bodyBytes: Uint8Array, body: TxBody, fee: NonNullable<AuthInfo["fee"]>): AminoSignBody {
  decodeOr("TxBody (no unknown fields with SIGN_MODE_LEGACY_AMINO_JSON)", () => decodeStrict(TxBody, bodyBytes));
  return aminoSignBody(body, fee);
}

/** Stateless checks of a tx (the SDK's decoder plus ValidateBasic). Throws AppError. */
export function decodeTx(bytes: Uint8Array, routes: ReadonlyMap<string, MsgRoute>, { simulate = false } = {}): DecodedTx {
  if (bytes.length === 0) throw sdkErrors.txDecode.wrap("empty tx");
  if (bytes.length > MAX_TX_BYTES) throw sdkErrors.txTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`);
  const raw = decodeOr("TxRaw", () => TxRaw.decode(bytes));
  requireCanonical(bytes, raw);
  if (raw.bodyBytes.length === 0 || raw.authInfoBytes.length === 0) throw sdkErrors.txDecode.wrap("tx has no body or no auth info");
  // unknown fields: non-critical ones (ADR-020) are allowed in the body only, as in the SDK
  const body = decodeOr("TxBody", () => decodeStrict(TxBody, raw.bodyBytes, { allowNonCritical: true }));
  refuseUnsupportedBodyFields(raw.bodyBytes, body);
  const authInfo = decodeOr("AuthInfo", () => decodeStrict(AuthInfo, raw.authInfoBytes));

  if (body.messages.length === 0) throw sdkErrors.invalidRequest.wrap("must contain at least one message");
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw sdkErrors.unknownExtensionOptions.wrap("extension options are not supported");
  }
  const msgs: DecodedMsg[] = body.messages.map((any) => {
    const route = routes.get(any.typeUrl);
    if (!route) throw sdkErrors.txDecode.wrap(`unable to resolve type URL ${any.typeUrl}`);
    const msg = decodeOr(any.typeUrl, () => decodeStrict(route.type, any.value, { allowNonCritical: true }));
    route.validate(msg);
    return { typeUrl: any.typeUrl, route, msg };
  });

  const fee = authInfo.fee;
  if (!fee) throw sdkErrors.txDecode.wrap("tx has no fee");
  if (fee.gasLimit === 0n && !simulate) throw sdkErrors.invalidGasLimit.wrap("gas limit must be positive");
  if (fee.granter) throw sdkErrors.notSupported.wrap("fee grants are not supported");
  const feeAmounts = toAmounts(fee.amount, { allowEmpty: true });

  const addresses: string[] = [];
  for (const m of msgs) {
    for (const s of m.route.signers(m.msg)) if (!addresses.includes(s)) addresses.push(validateAddress(s, "signer"));
  }
  if (fee.payer && fee.payer !== addresses[0]) throw sdkErrors.notSupported.wrap("a fee payer other than the first signer is not supported");
  if (raw.signatures.length === 0) throw sdkErrors.noSignatures.wrap("");
  if (authInfo.signerInfos.length !== addresses.length) {
    throw sdkErrors.unauthorized.wrap(`wrong number of signers; expected ${addresses.length}, got ${authInfo.signerInfos.length}`);
  }
  if (raw.signatures.length !== addresses.length) {
    throw sdkErrors.unauthorized.wrap(`wrong number of signatures; expected ${addresses.length}, got ${raw.signatures.length}`);
  }
  const signers = addresses.map((address, i): SignerSlot => {
    const info = authInfo.signerInfos[i];
    const mode = info.modeInfo?.single?.mode;
    // CosmJS simulates with SIGN_MODE_UNSPECIFIED and an empty signature.
    if (mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON && !(simulate && mode === SignMode.SIGN_MODE_UNSPECIFIED)) {
      throw sdkErrors.notSupported.wrap(`signer ${i}: only SIGN_MODE_DIRECT and SIGN_MODE_LEGACY_AMINO_JSON are supported, got ${mode === undefined ? "multi" : SignMode[mode] ?? mode}`);
    }
    let pubKey: Uint8Array | undefined;
    if (info.publicKey) {
      if (info.publicKey.typeUrl !== SECP256K1_PUBKEY) throw sdkErrors.invalidPubKey.wrap(`signer ${i}: unsupported key type ${info.publicKey.typeUrl}`);
      pubKey = decodeOr("public key", () => decodeStrict(PubKey, info.publicKey!.value)).key;
      if (pubKey.length !== 33) throw sdkErrors.invalidPubKey.wrap(`signer ${i}: secp256k1 key must be 33 bytes, got ${pubKey.length}`);
    }
    return { address, mode: mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON ? "amino-json" : "direct", pubKey, sequence: info.sequence, signature: raw.signatures[i] };
  });
  const amino = signers.some((s) => s.mode === "amino-json") ? aminoBody(raw.bodyBytes, body, fee) : undefined;

  return {
    bytes,
    hash: Buffer.from(sha256(bytes)).toString("hex").toUpperCase(),
    raw, body, authInfo, msgs,
    gasLimit: fee.gasLimit,
    fee: feeAmounts,
    signers,
    amino,
  };
}
