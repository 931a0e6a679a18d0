import type { Logger } from "../../../chain/logger.ts";
import { apiRegistry } from "../../../proto/api-registry.ts";
import { CometRpc } from "./comet-rpc.ts";
import { Gateway } from "./gateway.ts";
import { serveRestRequest } from "./http-handler.ts";
import { SdkJson } from "./sdk-json.ts";
import type { MethodContext } from "./local-methods.ts";
import { tendermintService } from "./tendermint-service.ts";
import { txService } from "./tx-service.ts";
import { listenHttp } from "./http-listen.ts";

export interface RestServerOptions {
  /** The gateway to serve (the node's one, shared with the console and gRPC); made from the options below when absent. */
  readonly gateway?: Gateway;
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
  const gateway = o.gateway ?? createGateway(o);
  const listening = await listenHttp(o.address, "api.address", o.maxOpenConnections, async (req, res) => {
    if (o.cors) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-allow-headers", "content-type, x-cosmos-block-height");
      res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
      res.setHeader("access-control-expose-headers", "grpc-metadata-x-cosmos-block-height");
    }
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    await serveRestRequest(gateway, req, res, o.log);
  });
  o.log.info("REST server listening", { address: listening.url, routes: gateway.routes.length });
  return { ...listening, gateway };
}
