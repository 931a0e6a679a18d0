import { getOption, hasOption, type DescExtension, type DescField, type DescMessage, type Registry } from "@bufbuild/protobuf";

/**
 * What the amino options on a message's descriptor ask of the amino JSON encoder, read once
 * per message type (the rules of the Cosmos SDK's x/tx signing/aminojson options.go):
 * amino.name, amino.message_encoding, amino.encoding, amino.dont_omitempty,
 * amino.field_name, amino.oneof_name, and cosmos_proto.scalar with gogoproto.customtype.
 */

/** Field encodings the SDK defines: amino.encoding ones, and cosmos_proto.scalar ones. */
export type FieldEncoding = "legacy_coins" | "inline_json" | "cosmos_int" | "legacy_dec";
/** Message encodings (amino.message_encoding) the SDK defines. */
export type MessageEncoding = "key_field" | "threshold_string" | "module_account";
/** Types the SDK writes its own way whatever their options. */
export type WellKnown = "any" | "timestamp" | "duration";

export interface FieldPlan {
  readonly field: DescField;
  /** the JSON key: amino.field_name or the proto field name */
  readonly name: string;
  readonly omitEmpty: boolean;
  readonly encoding?: FieldEncoding;
  /** members of a oneof: the oneof's key (its name in CamelCase) and amino.oneof_name */
  readonly oneof?: { readonly key: string; readonly typeName: string };
}

export interface MessagePlan {
  readonly desc: DescMessage;
  /** amino.name: the "type" when the message is packed in an Any or signed in a tx */
  readonly aminoName?: string;
  readonly wellKnown?: WellKnown;
  readonly encoding?: MessageEncoding;
  /** in the order they are written: sorted by key, oneof members by their oneof's key */
  readonly fields: readonly FieldPlan[];
  /** why this type cannot be amino-encoded at all (the SDK fails the same way) */
  readonly error?: string;
}

interface AminoExtensions {
  readonly name?: DescExtension;
  readonly messageEncoding?: DescExtension;
  readonly encoding?: DescExtension;
  readonly dontOmitempty?: DescExtension;
  readonly fieldName?: DescExtension;
  readonly oneofName?: DescExtension;
  readonly scalar?: DescExtension;
  readonly customtype?: DescExtension;
}

const WELL_KNOWN: ReadonlyMap<string, WellKnown> = new Map([
  ["google.protobuf.Any", "any"],
  ["google.protobuf.Timestamp", "timestamp"],
  ["google.protobuf.Duration", "duration"],
]);
const MESSAGE_ENCODINGS: ReadonlySet<string> = new Set<MessageEncoding>(["key_field", "threshold_string", "module_account"]);
const FIELD_ENCODINGS: ReadonlySet<string> = new Set(["legacy_coins", "inline_json"]);
const LEGACY_DEC_TYPE = "cosmossdk.io/math.LegacyDec";

const extensionsOf = new WeakMap<Registry, AminoExtensions>();
const plans = new WeakMap<DescMessage, MessagePlan>();

function extensions(registry: Registry): AminoExtensions {
  let ext = extensionsOf.get(registry);
  if (!ext) {
    const get = (name: string) => registry.getExtension(name);
    ext = {
      name: get("amino.name"), messageEncoding: get("amino.message_encoding"), encoding: get("amino.encoding"),
      dontOmitempty: get("amino.dont_omitempty"), fieldName: get("amino.field_name"), oneofName: get("amino.oneof_name"),
      scalar: get("cosmos_proto.scalar"), customtype: get("gogoproto.customtype"),
    };
    extensionsOf.set(registry, ext);
  }
  return ext;
}

type OptionHolder = DescMessage | DescField;

/** A string or bool option of a message or field, undefined when not set. */
function option<T extends string | boolean>(element: OptionHolder, ext: DescExtension | undefined): T | undefined {
  if (!ext) return undefined;
  // getOption's types tie each extension to its element kind; ours are looked up by name
  const has = hasOption as (e: OptionHolder, x: DescExtension) => boolean;
  const get = getOption as (e: OptionHolder, x: DescExtension) => unknown;
  return has(element, ext) ? (get(element, ext) as T) : undefined;
}

/** The amino name of a message type (amino.name), if it has one. */
export function aminoNameOf(registry: Registry, desc: DescMessage): string | undefined {
  return messagePlan(registry, desc).aminoName;
}

/** iancoleman/strcase's ToCamel (what the SDK names a oneof's key with), over ASCII. */
export function toCamel(s: string): string {
  let out = "";
  let capNext = true;
  let prevIsUpper = false;
  for (const ch of s.trim()) {
    const isUpper = ch >= "A" && ch <= "Z";
    const isLower = ch >= "a" && ch <= "z";
    let c = ch;
    if (capNext) c = ch.toUpperCase();
    else if (prevIsUpper && isUpper) c = ch.toLowerCase();
    prevIsUpper = isUpper;
    if (isUpper || isLower) {
      out += c;
      capNext = false;
    } else if (ch >= "0" && ch <= "9") {
      out += ch;
      capNext = true;
    } else {
      capNext = ch === "_" || ch === " " || ch === "-" || ch === ".";
    }
  }
  return out;
}

function fieldEncoding(ext: AminoExtensions, field: DescField): FieldEncoding | undefined {
  const encoding = option<string>(field, ext.encoding);
  if (encoding !== undefined && FIELD_ENCODINGS.has(encoding)) return encoding as FieldEncoding;
  const scalar = option<string>(field, ext.scalar);
  if (scalar === "cosmos.Int") return "cosmos_int";
  // a cosmos.Dec held as a plain decimal string (gov v1's) is written as it is
  if (scalar === "cosmos.Dec" && option<string>(field, ext.customtype) === LEGACY_DEC_TYPE) return "legacy_dec";
  return undefined;
}

function buildPlan(registry: Registry, desc: DescMessage): MessagePlan {
  const ext = extensions(registry);
  const aminoName = option<string>(desc, ext.name);
  const wellKnown = WELL_KNOWN.get(desc.typeName);
  const messageEncoding = option<string>(desc, ext.messageEncoding);
  const encoding = messageEncoding !== undefined && MESSAGE_ENCODINGS.has(messageEncoding) ? (messageEncoding as MessageEncoding) : undefined;
  let error: string | undefined;
  const fields = desc.fields.map((field): FieldPlan => {
    const name = option<string>(field, ext.fieldName) ?? field.name;
    const plan = { field, name, omitEmpty: option<boolean>(field, ext.dontOmitempty) !== true, encoding: fieldEncoding(ext, field) };
    // a proto3 `optional` field sits in a synthetic oneof, which has no amino.oneof_name either
    if (!field.oneof && !field.proto.proto3Optional) return plan;
    const typeName = option<string>(field, ext.oneofName);
    if (typeName === undefined) error ??= `field ${field.name} of ${desc.typeName} is within a oneof and has no amino.oneof_name`;
    return { ...plan, oneof: { key: toCamel(field.oneof?.name ?? field.name), typeName: typeName ?? "" } };
  });
  const key = (f: FieldPlan) => f.oneof?.key ?? f.name;
  fields.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { desc, aminoName, wellKnown, encoding, fields, error };
}

/** The encoding plan of a message type, built once. */
export function messagePlan(registry: Registry, desc: DescMessage): MessagePlan {
  let plan = plans.get(desc);
  if (!plan) {
    plan = buildPlan(registry, desc);
    plans.set(desc, plan);
  }
  return plan;
}
