import type http from "node:http";
import type { JsonObject } from "@bufbuild/protobuf";
import type { Logger } from "../../../chain/logger.ts";
import { GatewayError } from "./errors.ts";
import type { Gateway } from "./gateway.ts";

/** Largest request body (a tx to broadcast or simulate, base64 in JSON). */
const MAX_BODY = 4 * 1024 * 1024;
const HEIGHT_HEADER = "x-cosmos-block-height";

/**
 * One REST request through the gateway over node:http: the path, the query, the height header
 * and the JSON body in; the answer (or the SDK's error JSON, code and message) out. The REST
 * server and the console (which answers the same routes on its own address) both use it.
 */
export async function serveRestRequest(gateway: Gateway, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const height = parseHeight(req.headers[HEIGHT_HEADER]);
    const body = req.method === "POST" ? await readJsonBody(req) : undefined;
    const answer = await gateway.handle(req.method ?? "GET", url.pathname.replace(/\/+$/, "") || "/", url.searchParams, body, height);
    if (answer.height !== undefined) res.setHeader("grpc-metadata-x-cosmos-block-height", String(answer.height));
    sendJson(res, answer.status, answer.json);
  } catch (err) {
    const e = err instanceof GatewayError ? err : new GatewayError(13, (err as Error).message);
    if (!(err instanceof GatewayError)) log.error("REST request failed", { url: req.url, err: (err as Error).stack });
    sendJson(res, e.httpStatus, e.body());
  }
}

export function sendJson(res: http.ServerResponse, status: number, json: unknown): void {
  const body = JSON.stringify(json); // compact, as the SDK's gateway writes it
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

function parseHeight(v: string | string[] | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0] : v;
  if (!/^\d{1,19}$/.test(s)) throw GatewayError.invalidArgument(`${HEIGHT_HEADER} must be a non-negative integer, got ${JSON.stringify(s)}`);
  return BigInt(s);
}

async function readJsonBody(req: http.IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped (bounded by the server's requestTimeout), so the
  // client gets the answer rather than a reset connection.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY) throw new GatewayError(8, `request body over ${MAX_BODY} bytes`);
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (err) {
    throw GatewayError.invalidArgument(`request body is not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw GatewayError.invalidArgument("request body must be a JSON object");
  return parsed as JsonObject;
}
