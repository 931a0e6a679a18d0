import { fromJson, ScalarType, type DescField, type DescMessage, type FileRegistry, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";
import { GatewayError } from "./errors.ts";

/** Query-string parameters a request may carry: enough for any page of any query. */
const MAX_PARAMS = 64;

/**
 * A gRPC request message from an HTTP request, as grpc-gateway builds it: the JSON body
 * (for POST routes with body "*"), then path parameters, then query parameters such as
 * `pagination.limit=10` or `status=BOND_STATUS_BONDED`, each named by its proto field path
 * (or JSON name). Unknown fields and bad values are 400s naming the parameter.
 */
export function requestMessage(registry: FileRegistry, schema: DescMessage, pathParams: Record<string, string>, query: URLSearchParams, body?: JsonObject): Message {
  const json: JsonObject = body ? { ...body } : {};
  let count = 0;
  const set = (name: string, raw: string, source: string) => {
    if (++count > MAX_PARAMS) throw GatewayError.invalidArgument(`more than ${MAX_PARAMS} parameters`);
    setPath(schema, json, name.split("."), raw, `${source} ${name}`);
  };
  for (const [name, raw] of Object.entries(pathParams)) set(name, raw, "path parameter");
  for (const [name, raw] of query) set(name, raw, "query parameter");
  try {
    return fromJson(schema, json, { registry });
  } catch (err) {
    throw GatewayError.invalidArgument((err as Error).message);
  }
}

function setPath(schema: DescMessage, json: JsonObject, path: string[], raw: string, what: string): void {
  const [head, ...rest] = path;
  const field = schema.fields.find((f) => f.name === head || f.jsonName === head);
  if (!field) throw GatewayError.invalidArgument(`${what}: ${schema.typeName} has no field ${JSON.stringify(head)}`);
  if (rest.length > 0) {
    if (field.fieldKind !== "message") throw GatewayError.invalidArgument(`${what}: ${field.name} is not a message`);
    const child = (json[field.name] ??= {}) as JsonObject;
    setPath(field.message, child, rest, raw, what);
    return;
  }
  if (field.fieldKind === "list") {
    const list = (Array.isArray(json[field.name]) ? json[field.name] : (json[field.name] = [])) as JsonValue[];
    list.push(scalarJson(field, raw, what));
    return;
  }
  if (field.fieldKind === "message" || field.fieldKind === "map") throw GatewayError.invalidArgument(`${what}: ${field.name} is a message; name one of its fields (${field.name}.<field>)`);
  json[field.name] = scalarJson(field, raw, what);
}

function scalarJson(field: DescField, raw: string, what: string): JsonValue {
  if (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")) return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  const scalar = field.fieldKind === "scalar" ? field.scalar : field.fieldKind === "list" && field.listKind === "scalar" ? field.scalar : undefined;
  if (scalar === ScalarType.BOOL) {
    if (raw !== "true" && raw !== "false") throw GatewayError.invalidArgument(`${what}: expected true or false, got ${JSON.stringify(raw)}`);
    return raw === "true";
  }
  if (scalar === ScalarType.BYTES) return raw.replace(/ /g, "+"); // a "+" of base64 arrives as a space when not %-encoded
  return raw;
}
