import { fromBinary, toBinary, ScalarType, type DescField, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { reflect, type ReflectList, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { apiRegistry } from "../../proto/api-registry.ts";
import { fieldEncoders, messageEncoders, timeJson, type ListWriter } from "./amino-json-encodings.ts";
import { messagePlan } from "./amino-json-options.ts";
import { AminoJsonError, base64Json, goJsonString } from "./amino-json-values.ts";

/**
 * Amino JSON, as the Cosmos SDK v0.50 signs it (x/tx signing/aminojson json_marshal.go, any.go),
 * driven by the message descriptors and their amino options (apiRegistry()): keys sorted,
 * empty fields left out unless amino.dont_omitempty, 64-bit integers as strings, bytes in
 * base64, enums as numbers, a packed message as {"type": its amino.name, "value": ...}.
 * Floats and maps are refused, as the SDK refuses them, and so are unknown fields (they
 * would not be covered by a signature over this JSON). Errors are AminoJsonError.
 */

/** Nesting deeper than this is refused (a tx is at most 256 KiB; no real message nests so deep). */
const MAX_DEPTH = 100;

function scalarJson(type: ScalarType, value: unknown): string {
  switch (type) {
    case ScalarType.STRING: return goJsonString(value as string);
    case ScalarType.BOOL: return value ? "true" : "false";
    case ScalarType.BYTES: return base64Json(value as Uint8Array);
    case ScalarType.INT64: case ScalarType.UINT64: case ScalarType.SINT64: case ScalarType.FIXED64: case ScalarType.SFIXED64:
      return `"${value}"`;
    case ScalarType.FLOAT: case ScalarType.DOUBLE:
      throw new AminoJsonError("floating-point fields are not supported in amino JSON");
    default:
      return String(value);
  }
}

export class AminoJsonEncoder implements ListWriter {
  constructor(readonly registry: Registry) {}

  /** The message type of a type URL ("/cosmos.bank.v1beta1.MsgSend"). */
  schema(typeUrl: string): DescMessage {
    const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
    const desc = name ? this.registry.getMessage(name) : undefined;
    if (!desc) throw new AminoJsonError(`can't resolve type URL ${JSON.stringify(typeUrl)}`);
    return desc;
  }

  /** amino.name of a type URL's message, undefined when it has none. */
  aminoName(typeUrl: string): string | undefined {
    return messagePlan(this.registry, this.schema(typeUrl)).aminoName;
  }

  decode(desc: DescMessage, bytes: Uint8Array): Message {
    try {
      return fromBinary(desc, bytes);
    } catch (err) {
      throw new AminoJsonError(`cannot decode ${desc.typeName}: ${(err as Error).message}`);
    }
  }

  /**
   * A packed message as the SDK writes it: {"type": amino.name (the type URL without one),
   * "value": its JSON}. Its bytes must be the one encoding of what they hold (fields in
   * order, each once, valid UTF-8, ...), as every client writes them: the chain's own decoder
   * and this one then read the same message (on a repeated message field one merges, the
   * other replaces), so the JSON signed is the message executed.
   */
  any(typeUrl: string, value: Uint8Array, depth = 0): string {
    const desc = this.schema(typeUrl);
    const name = messagePlan(this.registry, desc).aminoName ?? `/${desc.typeName}`;
    const message = this.decode(desc, value);
    if (Buffer.compare(toBinary(desc, message), value) !== 0) {
      throw new AminoJsonError(`${desc.typeName} is not canonically encoded (fields out of order or repeated, invalid UTF-8, non-minimal varints...)`);
    }
    return `{"type":"${name}","value":${this.message(reflect(desc, message), depth + 1)}}`;
  }

  /** A message's JSON (the "value" of a packed one). */
  message(rm: ReflectMessage, depth = 0): string {
    if (depth > MAX_DEPTH) throw new AminoJsonError(`messages nest deeper than ${MAX_DEPTH} levels`);
    const plan = messagePlan(this.registry, rm.desc);
    const unknown = rm.getUnknown();
    if (unknown && unknown.length > 0) {
      throw new AminoJsonError(`${rm.desc.typeName} has an unknown field ${unknown[0].no}, which an amino JSON signature does not cover`);
    }
    if (plan.wellKnown === "any") return this.packed(rm, depth);
    if (plan.wellKnown) return timeJson(plan.wellKnown, rm);
    if (plan.encoding) return messageEncoders[plan.encoding](this, rm, depth);
    if (plan.error) throw new AminoJsonError(plan.error);

    const parts: string[] = [];
    const nullOneofs = new Set<string>();
    for (const fp of plan.fields) {
      const { field } = fp;
      let key = fp.name;
      let writeNull = false;
      if (!rm.isSet(field)) {
        // an unset oneof is written once, as null under its key
        if (fp.oneof && field.oneof && rm.oneofCase(field.oneof) === undefined && !nullOneofs.has(fp.oneof.key)) {
          key = fp.oneof.key;
          writeNull = true;
          nullOneofs.add(key);
        } else if (fp.omitEmpty) {
          continue;
        } else if (field.fieldKind === "message") {
          throw new AminoJsonError(`not supported: dont_omitempty on the unset message field ${field.name} of ${rm.desc.typeName}`);
        }
      }
      const value = fp.encoding ? fieldEncoders[fp.encoding](this, rm, field, depth) : writeNull ? "null" : this.field(rm, field, depth);
      const entry = `${goJsonString(key)}:${value}`;
      parts.push(fp.oneof && !writeNull ? `"${fp.oneof.key}":{"type":"${fp.oneof.typeName}","value":{${entry}}}` : entry);
    }
    return `{${parts.join(",")}}`;
  }

  list(list: ReflectList, field: DescField, depth: number): string {
    if (field.fieldKind !== "list") throw new AminoJsonError(`field ${field.name} is not a list`);
    const items: string[] = [];
    for (const item of list) {
      if (field.listKind === "message") items.push(this.message(item as ReflectMessage, depth + 1));
      else if (field.listKind === "enum") items.push(String(item));
      else items.push(scalarJson(field.scalar, item));
    }
    return `[${items.join(",")}]`;
  }

  /** A field's value; an unset one (amino.dont_omitempty) is its zero value, a list null, bytes null. */
  private field(rm: ReflectMessage, field: DescField, depth: number): string {
    const set = rm.isSet(field);
    switch (field.fieldKind) {
      case "scalar": return !set && field.scalar === ScalarType.BYTES ? "null" : scalarJson(field.scalar, rm.get(field));
      case "enum": return String(rm.get(field));
      case "message": return this.message(rm.get(field) as ReflectMessage, depth + 1);
      case "list": return set ? this.list(rm.get(field) as ReflectList, field, depth) : "null";
      case "map": throw new AminoJsonError(`field ${field.name} of ${rm.desc.typeName}: maps are not supported`);
    }
  }

  private packed(rm: ReflectMessage, depth: number): string {
    const [typeUrlField, valueField] = ["type_url", "value"].map((n) => rm.desc.fields.find((f) => f.name === n)!);
    return this.any(rm.get(typeUrlField) as string, rm.get(valueField) as Uint8Array, depth);
  }
}

let shared: AminoJsonEncoder | undefined;

/** The encoder over every type arod knows (proto/api-registry.ts), built on first use. */
export function aminoJsonEncoder(): AminoJsonEncoder {
  return (shared ??= new AminoJsonEncoder(apiRegistry()));
}
