import { ScalarType, type DescField } from "@bufbuild/protobuf";
import type { ReflectList, ReflectMessage } from "@bufbuild/protobuf/reflect";
import type { FieldEncoding, MessageEncoding, WellKnown } from "./amino-json-options.ts";
import { AminoJsonError, base64Json, durationJson, goJsonString, legacyDecJson, timestampJson } from "./amino-json-values.ts";

/**
 * The SDK's special amino JSON encodings (x/tx signing/aminojson encoder.go, time.go): the
 * field encodings named by amino.encoding and cosmos_proto.scalar, the message encodings
 * named by amino.message_encoding, and Timestamp and Duration.
 */

/** What the special encodings need of the encoder: its list writer. */
export interface ListWriter {
  list(list: ReflectList, field: DescField, depth: number): string;
}

type FieldEncoder = (enc: ListWriter, rm: ReflectMessage, field: DescField, depth: number) => string;
type MessageEncoder = (enc: ListWriter, rm: ReflectMessage, depth: number) => string;

function fieldNamed(rm: ReflectMessage, name: string): DescField {
  const field = rm.desc.fields.find((f) => f.name === name);
  if (!field) throw new AminoJsonError(`${rm.desc.typeName} has no field ${name}`);
  return field;
}

/** A string or bytes field's text: cosmos.Int and cosmos.Dec come as either. */
function scalarText(rm: ReflectMessage, field: DescField, encoding: string): string {
  if (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING) return rm.get(field) as string;
  if (field.fieldKind === "scalar" && field.scalar === ScalarType.BYTES) return new TextDecoder().decode(rm.get(field) as Uint8Array);
  throw new AminoJsonError(`${encoding} on field ${field.name} of ${rm.desc.typeName}: unsupported type`);
}

/** Go's map ordering: keys by their UTF-8 bytes. */
const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A JSON document re-written with sorted keys, as the SDK's inline_json does (Go's
 * json.Unmarshal then json.Marshal). Go reads numbers as float64; only those that are
 * exact integers are taken here (so no float is ever formatted).
 */
export function sortedJson(value: unknown): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new AminoJsonError(`inline JSON number ${value} is not an integer the signer can reproduce`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort(byUtf8).map((k) => `${goJsonString(k)}:${sortedJson(obj[k])}`).join(",")}}`;
}

export const fieldEncoders: Readonly<Record<FieldEncoding, FieldEncoder>> = {
  // a nil coin list is written [] (sdk.Coins' MarshalJSON), not null
  legacy_coins(enc, rm, field, depth) {
    if (field.fieldKind !== "list") throw new AminoJsonError(`legacy_coins on field ${field.name} of ${rm.desc.typeName}: not a list`);
    const list = rm.get(field) as ReflectList;
    return list.size === 0 ? "[]" : enc.list(list, field, depth);
  },
  inline_json(_enc, rm, field) {
    if (field.fieldKind !== "scalar" || field.scalar !== ScalarType.BYTES) throw new AminoJsonError(`inline_json on field ${field.name} of ${rm.desc.typeName}: not bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(rm.get(field) as Uint8Array));
    } catch {
      throw new AminoJsonError(`field ${field.name} of ${rm.desc.typeName}: could not normalize JSON: invalid JSON bytes`);
    }
    return sortedJson(parsed);
  },
  cosmos_int(_enc, rm, field) {
    const text = scalarText(rm, field, "cosmos.Int");
    if (text === "") return '"0"';
    if (field.scalar === ScalarType.BYTES && !/^-?(0|[1-9]\d*)$/.test(text)) throw new AminoJsonError(`field ${field.name} of ${rm.desc.typeName}: ${JSON.stringify(text)} is not an integer`);
    return goJsonString(text);
  },
  legacy_dec: (_enc, rm, field) => legacyDecJson(scalarText(rm, field, "cosmos.Dec")),
};

function requireType(rm: ReflectMessage, typeName: string, encoding: string): void {
  if (rm.desc.typeName !== typeName) throw new AminoJsonError(`${encoding}: ${rm.desc.typeName} is not a ${typeName}`);
}

export const messageEncoders: Readonly<Record<MessageEncoding, MessageEncoder>> = {
  // a public key written as its key bytes alone (cosmos.crypto.*.PubKey)
  key_field(_enc, rm) {
    const key = rm.get(fieldNamed(rm, "key")) as Uint8Array;
    return key.length === 0 ? "null" : base64Json(key);
  },
  threshold_string(enc, rm, depth) {
    requireType(rm, "cosmos.crypto.multisig.LegacyAminoPubKey", "threshold_string");
    const field = fieldNamed(rm, "public_keys");
    const keys = rm.get(field) as ReflectList;
    return `{"pubkeys":${keys.size === 0 ? "[]" : enc.list(keys, field, depth)},"threshold":"${rm.get(fieldNamed(rm, "threshold"))}"}`;
  },
  module_account(_enc, rm) {
    requireType(rm, "cosmos.auth.v1beta1.ModuleAccount", "module_account");
    const baseField = fieldNamed(rm, "base_account");
    const base = rm.isSet(baseField) ? (rm.get(baseField) as ReflectMessage) : undefined;
    const of = (name: string) => base?.get(fieldNamed(base, name));
    const permissions = [...(rm.get(fieldNamed(rm, "permissions")) as ReflectList)] as string[];
    return `{"account_number":${of("account_number") ?? 0},"address":${goJsonString((of("address") as string) ?? "")},` +
      `"name":${goJsonString(rm.get(fieldNamed(rm, "name")) as string)},` +
      `"permissions":${permissions.length === 0 ? "null" : `[${permissions.map(goJsonString).join(",")}]`},"public_key":"","sequence":${of("sequence") ?? 0}}`;
  },
};

/** Timestamp and Duration (Any is the encoder's own: it resolves the packed type). */
export function timeJson(kind: Exclude<WellKnown, "any">, rm: ReflectMessage): string {
  const seconds = rm.get(fieldNamed(rm, "seconds")) as bigint;
  const nanos = rm.get(fieldNamed(rm, "nanos")) as number;
  return kind === "timestamp" ? timestampJson(seconds, nanos) : durationJson(seconds, nanos);
}
