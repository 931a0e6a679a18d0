import { fromBinary, getOption, ScalarType, hasOption, toJson, type DescExtension, type DescField, type DescMessage, type FileRegistry, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";

/**
 * Protobuf messages as the Cosmos SDK's REST gateway writes them (gogoproto jsonpb with
 * OrigName and EmitDefaults): proto field names, every field present (unset messages as
 * null, empty lists as []), 64-bit integers as strings, enums by name, Any with "@type",
 * and gogoproto LegacyDec fields (atomics on the wire: "1000000000000000000") as decimals
 * ("1.000000000000000000"), as the SDK's LegacyDec.MarshalJSON prints them.
 */
const DEC_TYPES = new Set(["cosmossdk.io/math.LegacyDec", "github.com/cosmos/cosmos-sdk/types.Dec"]);
const DEC_PRECISION = 18;
/** Well-known types have their own JSON; only Any is looked into. */
const OPAQUE = /^google\.protobuf\.(?!Any$)/;

export class SdkJson {
  private readonly customtype: DescExtension | undefined;
  private readonly decFields = new Map<DescField, boolean>();

  constructor(readonly registry: FileRegistry) {
    this.customtype = registry.getExtension("gogoproto.customtype");
  }

  fromBinary(schema: DescMessage, bytes: Uint8Array): JsonObject {
    return this.toJson(schema, fromBinary(schema, bytes));
  }

  toJson(schema: DescMessage, message: Message): JsonObject {
    const json = toJson(schema, message, { registry: this.registry, alwaysEmitImplicit: true, useProtoFieldName: true }) as JsonObject;
    this.adjust(schema, json);
    return json;
  }

  private isDec(field: DescField): boolean {
    let dec = this.decFields.get(field);
    if (dec === undefined) {
      const ext = this.customtype;
      dec = !!ext && field.proto.options !== undefined && hasOption(field, ext) && DEC_TYPES.has(getOption(field, ext) as string);
      this.decFields.set(field, dec);
    }
    return dec;
  }

  private adjust(schema: DescMessage, json: JsonObject): void {
    if (schema.typeName === "google.protobuf.Any") {
      const typeUrl = typeof json["@type"] === "string" ? json["@type"] : undefined;
      const inner = typeUrl ? this.registry.getMessage(typeUrl.replace(/^.*\//, "")) : undefined;
      if (inner && !OPAQUE.test(inner.typeName)) this.adjust(inner, json);
      if (typeUrl) anyTypeFirst(json, typeUrl.replace(/^type\.googleapis\.com\//, "/"));
      return;
    }
    if (OPAQUE.test(schema.typeName)) return;
    let added = false;
    for (const field of schema.fields) {
      const key = field.name;
      const value = json[key];
      if (field.fieldKind === "message") {
        if (value === undefined) {
          if (!field.oneof) (json[key] = null), (added = true); // jsonpb writes only the member a oneof holds
        }
        else this.adjustValue(field.message, value);
      } else if (field.fieldKind === "list" && field.listKind === "message") {
        if (Array.isArray(value)) for (const v of value) this.adjustValue(field.message, v);
      } else if (field.fieldKind === "map" && field.mapKind === "message") {
        if (value && typeof value === "object" && !Array.isArray(value)) for (const v of Object.values(value)) this.adjustValue(field.message, v);
      } else if (this.isDec(field)) {
        // bytes Decs (mint's inflation) carry the same atomics text as their bytes
        const text = (v: JsonValue) => (field.scalar === ScalarType.BYTES && typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v);
        json[key] = Array.isArray(value) ? value.map((v) => decFromAtomics(text(v))) : decFromAtomics(text(value ?? ""));
      }
    }
    if (added) inFieldOrder(schema, json);
  }

  private adjustValue(schema: DescMessage, v: JsonValue | undefined): void {
    if (v && typeof v === "object" && !Array.isArray(v)) this.adjust(schema, v);
  }
}

/** Keys in the schema's field order (the nulls added above went last). */
function inFieldOrder(schema: DescMessage, json: JsonObject): void {
  const entries = Object.entries(json);
  const rank = new Map(schema.fields.map((f, i) => [f.name, i]));
  entries.sort(([a], [b]) => (rank.get(a) ?? -1) - (rank.get(b) ?? -1));
  for (const [k] of entries) delete json[k];
  for (const [k, v] of entries) json[k] = v;
}

/** "@type" first, as "/pkg.Msg" (the SDK's type URLs), as the SDK writes an Any. */
function anyTypeFirst(json: JsonObject, typeUrl: string): void {
  const rest = Object.entries(json).filter(([k]) => k !== "@type");
  for (const [k] of rest) delete json[k];
  delete json["@type"];
  json["@type"] = typeUrl;
  for (const [k, v] of rest) json[k] = v;
}

/** "1500000000000000000" → "1.500000000000000000"; anything else (already decimal, empty) unchanged. */
export function decFromAtomics(v: JsonValue | undefined): JsonValue {
  if (typeof v !== "string" || !/^-?\d+$/.test(v)) return v ?? "";
  const neg = v.startsWith("-");
  const digits = (neg ? v.slice(1) : v).padStart(DEC_PRECISION + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -DEC_PRECISION)}.${digits.slice(-DEC_PRECISION)}`;
}
