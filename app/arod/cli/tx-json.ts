import { fromBinary, fromJson, getOption, hasOption, ScalarType, toBinary, type DescField, type DescMessage, type FileRegistry, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { decFromString } from "../../../chain/dec.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { SdkJson } from "../rest/sdk-json.ts";

/**
 * A transaction as a file, in the SDK's JSON (what `simd tx ... --generate-only` prints and
 * `simd tx sign` / `simd tx broadcast` read): proto3 JSON of cosmos.tx.v1beta1.Tx with proto
 * field names, messages as Any with "@type", LegacyDec fields as decimals. Shapes come from the
 * API descriptors (proto/api-registry.ts); the JSON is the REST gateway's (rest/sdk-json.ts).
 */
export interface TxParts {
  readonly bodyBytes: Uint8Array;
  readonly authInfoBytes: Uint8Array;
  readonly signatures: readonly Uint8Array[];
}

const DEC_TYPES = new Set(["cosmossdk.io/math.LegacyDec", "github.com/cosmos/cosmos-sdk/types.Dec"]);

export class TxJson {
  private readonly registry: FileRegistry = apiRegistry();
  private readonly sdk = new SdkJson(this.registry);
  private readonly schema = (name: string): DescMessage => {
    const s = this.registry.getMessage(name);
    if (!s) throw new Error(`the API descriptors lack ${name}: run bash scripts/setup`);
    return s;
  };

  /** The SDK's JSON of a transaction (signed or not). */
  toJson(parts: TxParts): JsonObject {
    const body = this.sdk.fromBinary(this.schema("cosmos.tx.v1beta1.TxBody"), parts.bodyBytes);
    const authInfo = this.sdk.fromBinary(this.schema("cosmos.tx.v1beta1.AuthInfo"), parts.authInfoBytes);
    return { body, auth_info: authInfo, signatures: parts.signatures.map((s) => Buffer.from(s).toString("base64")) };
  }

  /** A transaction file's JSON back in bytes; throws a readable error naming what is wrong. */
  fromJson(json: unknown, file = "tx file"): TxParts {
    if (!json || typeof json !== "object" || Array.isArray(json)) throw new Error(`${file}: expected a JSON object with "body", "auth_info" and "signatures"`);
    const tx = json as JsonObject;
    const part = (key: string, name: string): Uint8Array => {
      const schema = this.schema(name);
      try {
        const message = fromJson(schema, this.atomize(schema, structuredClone(tx[key] ?? {})), { registry: this.registry });
        this.sdkTypeUrls(message);
        return toBinary(schema, message);
      } catch (err) {
        throw new Error(`${file}: "${key}" is not a valid ${name}: ${(err as Error).message}`);
      }
    };
    const sigs = tx.signatures ?? [];
    if (!Array.isArray(sigs) || sigs.some((s) => typeof s !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(s))) throw new Error(`${file}: "signatures" must be a list of base64 strings`);
    return { bodyBytes: part("body", "cosmos.tx.v1beta1.TxBody"), authInfoBytes: part("auth_info", "cosmos.tx.v1beta1.AuthInfo"), signatures: (sigs as string[]).map((s) => new Uint8Array(Buffer.from(s, "base64"))) };
  }

  /** Any's type URL as the SDK writes it, "/pkg.Msg" (fromJson packs "type.googleapis.com/pkg.Msg"), in nested Anys too. */
  private sdkTypeUrls(value: unknown): void {
    if (!value || typeof value !== "object" || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach((v) => this.sdkTypeUrls(v));
    const m = value as { $typeName?: string; typeUrl?: string; value?: Uint8Array };
    if (m.$typeName === "google.protobuf.Any" && typeof m.typeUrl === "string" && m.value) {
      const name = m.typeUrl.slice(m.typeUrl.lastIndexOf("/") + 1);
      m.typeUrl = `/${name}`;
      const schema = this.registry.getMessage(name);
      if (schema) {
        const inner = fromBinary(schema, m.value);
        this.sdkTypeUrls(inner);
        m.value = toBinary(schema, inner);
      }
      return;
    }
    for (const [k, v] of Object.entries(value)) if (k !== "$typeName") this.sdkTypeUrls(v);
  }

  private isDec(field: DescField): boolean {
    const ext = this.registry.getExtension("gogoproto.customtype");
    return !!ext && field.proto.options !== undefined && hasOption(field, ext) && DEC_TYPES.has(getOption(field, ext) as string);
  }

  /** Undoes the JSON's decimals: LegacyDec fields back to their wire form (atomics, 10^18 per unit). */
  private atomize(schema: DescMessage, json: JsonValue): JsonValue {
    if (!json || typeof json !== "object" || Array.isArray(json)) return json;
    if (schema.typeName === "google.protobuf.Any") {
      const inner = typeof json["@type"] === "string" ? this.registry.getMessage(json["@type"].replace(/^.*\//, "")) : undefined;
      return inner ? this.atomize(inner, json) : json;
    }
    for (const field of schema.fields) {
      const key = field.name in json ? field.name : field.jsonName;
      const value = json[key];
      if (value === undefined || value === null) continue;
      if (field.fieldKind === "message") json[key] = this.atomize(field.message, value);
      else if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) json[key] = value.map((v) => this.atomize(field.message, v));
      else if (this.isDec(field)) {
        const wire = (v: JsonValue) => {
          if (typeof v !== "string" || !v.includes(".")) return v;
          const atomics = decFromString(v, field.name).toString();
          return field.scalar === ScalarType.BYTES ? Buffer.from(atomics).toString("base64") : atomics;
        };
        json[key] = Array.isArray(value) ? value.map(wire) : wire(value);
      }
    }
    return json;
  }
}
