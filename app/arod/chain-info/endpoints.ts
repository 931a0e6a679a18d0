import { readAppConfig } from "../node/home.ts";
import { hostPort } from "../node/server-config.ts";

/** The URLs a wallet or registry entry points at. */
export interface Endpoints {
  /** CometBFT RPC, e.g. http://127.0.0.1:26657. */
  readonly rpc: string;
  /** The REST (LCD) gateway, e.g. http://127.0.0.1:1317. */
  readonly rest: string;
  /** gRPC as host:port, e.g. 127.0.0.1:9090. */
  readonly grpc: string;
}

export interface EndpointOverrides {
  readonly rpc?: string;
  readonly rest?: string;
  readonly grpc?: string;
}

/** A listen address as a client reaches it: a wildcard bind is this host's 127.0.0.1. */
const reachable = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);

function httpUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${flag} must be an http(s) URL, got ${JSON.stringify(text)}`);
  return text.replace(/\/+$/, "");
}

/**
 * The node's endpoints from its home (config.toml [rpc] laddr, app.toml [api] and [grpc]
 * addresses), each replaced by the public URL given for it (a node behind a proxy or a DNS name).
 */
export function endpointsOf(home: string, o: EndpointOverrides = {}): Endpoints {
  const cfg = readAppConfig(home);
  const api = hostPort(cfg.servers.api.address, "app.toml [api] address");
  const grpc = hostPort(cfg.servers.grpc.address, "app.toml [grpc] address");
  if (o.grpc !== undefined) hostPort(o.grpc, "--grpc");
  return {
    rpc: o.rpc !== undefined ? httpUrl(o.rpc, "--rpc") : cfg.rpcUrl.replace(/\/+$/, ""),
    rest: o.rest !== undefined ? httpUrl(o.rest, "--rest") : `http://${reachable(api.host)}:${api.port}`,
    grpc: o.grpc ?? `${reachable(grpc.host)}:${grpc.port}`,
  };
}
