import { create, ScalarType, toBinary, type DescField, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { sortedJson } from "../chain/tx/amino-json-encodings.ts";
import { messagePlan, type FieldPlan } from "../chain/tx/amino-json-options.ts";
import { AminoJsonError, durationFromJson, legacyDecFromJson, timestampFromJson } from "../chain/tx/amino-json-values.ts";

/**
 * The inverse of the chain's amino JSON encoder (chain/tx/amino-json.ts): a message from its
 * amino JSON, by the same descriptors and options. CosmJS's signAmino rebuilds the tx body
 * from the JSON the wallet signed, so what this makes must encode back to that JSON.
 */

type Json = unknown;
type Init = Record<string, unknown>;

const MAX_DEPTH = 100;
const byAminoName = new WeakMap<Registry, Map<string, DescMessage | "ambiguous">>();

function messageByAminoName(registry: Registry, name: string): DescMessage {
  let names = byAminoName.get(registry);
  if (!names) {
    names = new Map();
    for (const t of registry) {
      if (t.kind !== "message") continue;
      const n = messagePlan(registry, t).aminoName;
      if (n !== undefined) names.set(n, names.has(n) ? "ambiguous" : t);
    }
    byAminoName.set(registry, names);
  }
  const desc = names.get(name);
  if (desc === "ambiguous") throw new AminoJsonError(`amino name ${name} belongs to several message types`);
  if (!desc) throw new AminoJsonError(`no message type has the amino name ${name}`);
  return desc;
}

const object = (json: Json, what: string): Record<string, Json> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new AminoJsonError(`${what}: expected an object`);
  return json as Record<string, Json>;
};
const text = (json: Json, what: string): string => {
  if (typeof json !== "string") throw new AminoJsonError(`${what}: expected a string`);
  return json;
};
const fromBase64 = (json: Json, what: string): Uint8Array => Buffer.from(text(json, what), "base64");

function scalarFromJson(type: ScalarType, json: Json, what: string): unknown {
  switch (type) {
    case ScalarType.STRING: return text(json, what);
    case ScalarType.BOOL:
      if (typeof json !== "boolean") throw new AminoJsonError(`${what}: expected true or false`);
      return json;
    case ScalarType.BYTES: return fromBase64(json, what);
    case ScalarType.INT64: case ScalarType.UINT64: case ScalarType.SINT64: case ScalarType.FIXED64: case ScalarType.SFIXED64:
      if (!/^-?\d+$/.test(text(json, what))) throw new AminoJsonError(`${what}: expected an integer string`);
      return BigInt(json as string);
    case ScalarType.FLOAT: case ScalarType.DOUBLE: throw new AminoJsonError(`${what}: floating-point fields are not supported`);
    default:
      if (typeof json !== "number" || !Number.isInteger(json)) throw new AminoJsonError(`${what}: expected an integer`);
      return json;
  }
}

export class AminoJsonDecoder {
  constructor(readonly registry: Registry) {}

  /** A packed message from {"type": amino name or type URL, "value": ...}: its type URL and bytes. */
  any(json: Json, depth = 0): { typeUrl: string; value: Uint8Array } {
    const { type, value } = object(json, "packed message");
    const name = text(type, "packed message type");
    const desc = name.startsWith("/") ? this.registry.getMessage(name.slice(1)) : messageByAminoName(this.registry, name);
    if (!desc) throw new AminoJsonError(`unknown type ${name}`);
    return { typeUrl: `/${desc.typeName}`, value: toBinary(desc, this.message(desc, value, depth + 1)) };
  }

  /** A message of type `desc` from its amino JSON (the "value" of a packed one). */
  message(desc: DescMessage, json: Json, depth = 0): Message {
    return create(desc, this.init(desc, json, depth) as never);
  }

  private init(desc: DescMessage, json: Json, depth: number): Init {
    if (depth > MAX_DEPTH) throw new AminoJsonError(`messages nest deeper than ${MAX_DEPTH} levels`);
    const plan = messagePlan(this.registry, desc);
    const what = desc.typeName;
    if (plan.wellKnown === "any") {
      const { typeUrl, value } = this.any(json, depth);
      return { typeUrl, value };
    }
    if (plan.wellKnown === "timestamp") return timestampFromJson(text(json, what));
    if (plan.wellKnown === "duration") return durationFromJson(text(json, what));
    if (plan.encoding === "key_field") return json === null ? {} : { key: fromBase64(json, what) };
    if (plan.encoding === "threshold_string") {
      const { pubkeys, threshold } = object(json, what);
      if (!Array.isArray(pubkeys)) throw new AminoJsonError(`${what}.pubkeys: expected a list`);
      return { publicKeys: pubkeys.map((k) => this.any(k, depth)), threshold: Number(text(threshold, `${what}.threshold`)) };
    }
    if (plan.encoding) throw new AminoJsonError(`${plan.encoding} messages cannot be read back from amino JSON`);
    if (plan.error) throw new AminoJsonError(plan.error);

    const obj = object(json, what);
    const init: Init = {};
    for (const fp of plan.fields) {
      let value: Json = obj[fp.name];
      if (fp.oneof) {
        const wrapped = obj[fp.oneof.key];
        if (wrapped === null || wrapped === undefined) continue;
        const { type, value: inner } = object(wrapped, `${what}.${fp.oneof.key}`);
        if (type !== fp.oneof.typeName) continue;
        value = object(inner, `${what}.${fp.oneof.key}`)[fp.name];
        if (value === undefined || value === null) continue;
        init[fp.field.oneof!.localName] = { case: fp.field.localName, value: this.field(fp, value, depth) };
        continue;
      }
      if (value === undefined || value === null) continue;
      init[fp.field.localName] = this.field(fp, value, depth);
    }
    return init;
  }

  private field(fp: FieldPlan, json: Json, depth: number): unknown {
    const { field, encoding } = fp;
    const what = `${field.parent.typeName}.${fp.name}`;
    if (encoding === "inline_json") return new TextEncoder().encode(sortedJson(json));
    if (encoding === "cosmos_int" || encoding === "legacy_dec") {
      const s = encoding === "legacy_dec" ? legacyDecFromJson(text(json, what)) : text(json, what);
      return field.fieldKind === "scalar" && field.scalar === ScalarType.BYTES ? new TextEncoder().encode(s) : s;
    }
    if (field.fieldKind === "list") {
      if (!Array.isArray(json)) throw new AminoJsonError(`${what}: expected a list`);
      return json.map((item) => this.item(field, item, depth, what));
    }
    return this.item(field, json, depth, what);
  }

  private item(field: DescField, json: Json, depth: number, what: string): unknown {
    const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
    if (kind === "message") return this.init(field.message!, json, depth + 1);
    if (kind === "enum") return scalarFromJson(ScalarType.INT32, json, what);
    if (kind === "map") throw new AminoJsonError(`${what}: maps are not supported`);
    return scalarFromJson(field.scalar!, json, what);
  }
}
