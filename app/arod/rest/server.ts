import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JsonObject } from "@bufbuild/protobuf";
import type { Logger } from "../../../chain/logger.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { CometRpc } from "./comet-rpc.ts";
import { GatewayError } from "./errors.ts";
import { Gateway } from "./gateway.ts";
import { SdkJson } from "./sdk-json.ts";
import type { MethodContext } from "./local-methods.ts";
import { tendermintService } from "./tendermint-service.ts";
import { txService } from "./tx-service.ts";
import { hostPort } from "../node/server-config.ts";

/** Largest request body (a tx to broadcast or simulate, base64 in JSON). */
const MAX_BODY = 4 * 1024 * 1024;
const HEIGHT_HEADER = "x-cosmos-block-height";

export interface RestServerOptions {
  readonly address: string;
  readonly cors: boolean;
  readonly maxOpenConnections: number;
  readonly rpcUrl: string;
  readonly appPaths: readonly string[];
  readonly abciQuery: MethodContext["abciQuery"];
  readonly appVersion: string;
  readonly log: Logger;
}

export interface RestServer {
  readonly url: string;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

/** The REST (LCD) server on api.address: the gateway behind node:http, with CORS and a bound on requests in flight. */
export async function startRestServer(o: RestServerOptions): Promise<RestServer> {
  const { host, port } = hostPort(o.address, "api.address");
  const rpc = new CometRpc(o.rpcUrl);
  const registry = apiRegistry();
  const local = { ...tendermintService(o.appVersion), ...txService(new SdkJson(registry)) };
  const gateway = new Gateway(registry, new Set(o.appPaths), local, { rpc, abciQuery: o.abciQuery });
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const acquire = () => (inFlight < o.maxOpenConnections ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => waiting.push(() => (inFlight++, r()))));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };

  const server = http.createServer(async (req, res) => {
    if (o.cors) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-allow-headers", "content-type, x-cosmos-block-height");
      res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
      res.setHeader("access-control-expose-headers", "grpc-metadata-x-cosmos-block-height");
    }
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    await acquire();
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const height = parseHeight(req.headers[HEIGHT_HEADER]);
      const body = req.method === "POST" ? await readJsonBody(req) : undefined;
      const answer = await gateway.handle(req.method ?? "GET", url.pathname.replace(/\/+$/, "") || "/", url.searchParams, body, height);
      if (answer.height !== undefined) res.setHeader("grpc-metadata-x-cosmos-block-height", String(answer.height));
      send(res, answer.status, answer.json);
    } catch (err) {
      const e = err instanceof GatewayError ? err : new GatewayError(13, (err as Error).message);
      if (!(err instanceof GatewayError)) o.log.error("REST request failed", { url: req.url, err: (err as Error).stack });
      send(res, e.httpStatus, e.body());
    } finally {
      release();
    }
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const url = `http://${host}:${bound.port}`;
  o.log.info("REST server listening", { address: url, routes: gateway.routes.length });
  return {
    url,
    gateway,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: http.ServerResponse, status: number, json: unknown): void {
  const body = JSON.stringify(json, null, 2);
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
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new GatewayError(8, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
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
