import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../../chain/logger.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { CometRpc } from "./comet-rpc.ts";
import { Gateway } from "./gateway.ts";
import { serveRestRequest } from "./http-handler.ts";
import { SdkJson } from "./sdk-json.ts";
import type { MethodContext } from "./local-methods.ts";
import { tendermintService } from "./tendermint-service.ts";
import { txService } from "./tx-service.ts";
import { hostPort } from "../node/server-config.ts";

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

export type GatewayOptions = Pick<RestServerOptions, "rpcUrl" | "appPaths" | "abciQuery" | "appVersion">;

/** The gateway over the app's queries and CometBFT's RPC (the REST server's; the console's when [api] is off). */
export function createGateway(o: GatewayOptions): Gateway {
  const registry = apiRegistry();
  const local = { ...tendermintService(o.appVersion), ...txService(new SdkJson(registry)) };
  return new Gateway(registry, new Set(o.appPaths), local, { rpc: new CometRpc(o.rpcUrl), abciQuery: o.abciQuery });
}

/** The REST (LCD) server on api.address: the gateway behind node:http, with CORS and a bound on requests in flight. */
export async function startRestServer(o: RestServerOptions): Promise<RestServer> {
  const { host, port } = hostPort(o.address, "api.address");
  const gateway = createGateway(o);
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
      await serveRestRequest(gateway, req, res, o.log);
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
