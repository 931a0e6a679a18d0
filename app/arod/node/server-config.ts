/**
 * app.toml's sections for the servers arod runs beside ABCI: the REST gateway ([api]), gRPC
 * ([grpc]), Prometheus metrics ([telemetry]) and the web console ([console]), with the
 * template text `arod init` writes.
 * Every server binds to 127.0.0.1 by default.
 */
export const DEFAULT_API_PORT = 1317;
export const DEFAULT_GRPC_PORT = 9090;
export const DEFAULT_METRICS_PORT = 26670;
export const DEFAULT_CONSOLE_PORT = 1319;

export interface ServerPorts {
  readonly apiPort?: number;
  readonly grpcPort?: number;
  readonly metricsPort?: number;
  readonly consolePort?: number;
}

export const serverSectionsToml = (p: ServerPorts = {}) => `
[api]
# The REST (LCD) gateway: the Cosmos SDK's grpc-gateway routes and proto3 JSON for every
# query arod serves, txs (broadcast, search, simulate) and cosmos.base.tendermint (blocks,
# validator sets, node info). Keplr and explorers such as ping.pub read it.
enable = true
address = "tcp://127.0.0.1:${p.apiPort ?? DEFAULT_API_PORT}"
# Answer browsers from any origin (Access-Control-Allow-Origin: *). Needed for a wallet or
# explorer web page on another host; leave off on a validator.
enabled-unsafe-cors = false
# Requests served at once; more wait for a free slot.
max-open-connections = 1000

[grpc]
# gRPC: every query service, with server reflection (grpcurl lists and calls them).
enable = true
address = "127.0.0.1:${p.grpcPort ?? DEFAULT_GRPC_PORT}"

[telemetry]
# Prometheus metrics (text format) at http://<address>/metrics.
enabled = true
address = "tcp://127.0.0.1:${p.metricsPort ?? DEFAULT_METRICS_PORT}"

[console]
# The web console for node owners, voters and validators: the chain, PeerNodes, earnings,
# watchers, content, jobs and governance, with a Keplr-like wallet to vote and withdraw
# rewards. It answers the REST routes on the same address (no CORS needed).
enable = true
address = "tcp://127.0.0.1:${p.consolePort ?? DEFAULT_CONSOLE_PORT}"
`;

export interface ServerConfig {
  readonly api: { readonly enable: boolean; readonly address: string; readonly cors: boolean; readonly maxOpenConnections: number };
  readonly grpc: { readonly enable: boolean; readonly address: string };
  readonly telemetry: { readonly enabled: boolean; readonly address: string };
  readonly console: { readonly enable: boolean; readonly address: string };
}

/** Host and port of "tcp://host:port" or "host:port"; throws a message naming the setting. */
export function hostPort(address: string, setting: string): { host: string; port: number } {
  const m = /^(?:tcp:\/\/)?([^:/\s]+):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new Error(`${setting} must be host:port (optionally tcp://host:port), got ${JSON.stringify(address)}`);
  return { host: m[1], port };
}

export function serverConfigFrom(app: Record<string, unknown>, file: string): ServerConfig {
  const section = (name: string) => (app[name] ?? {}) as Record<string, unknown>;
  const bool = (s: string, k: string, v: unknown, dflt: boolean) => {
    if (v === undefined) return dflt;
    if (typeof v !== "boolean") throw new Error(`${file}: [${s}] ${k} must be true or false`);
    return v;
  };
  const addr = (s: string, k: string, v: unknown, dflt: string) => {
    const a = v === undefined ? dflt : String(v);
    hostPort(a, `${file}: [${s}] ${k}`);
    return a;
  };
  const api = section("api");
  const grpc = section("grpc");
  const telemetry = section("telemetry");
  const consoleSection = section("console");
  // A home made before these sections existed keeps them off (its ports are not known to be free).
  const maxOpen = Number(api["max-open-connections"] ?? 1000);
  if (!Number.isSafeInteger(maxOpen) || maxOpen < 1) throw new Error(`${file}: [api] max-open-connections must be an integer >= 1`);
  return {
    api: {
      enable: bool("api", "enable", api.enable, false),
      address: addr("api", "address", api.address, `tcp://127.0.0.1:${DEFAULT_API_PORT}`),
      cors: bool("api", "enabled-unsafe-cors", api["enabled-unsafe-cors"], false),
      maxOpenConnections: maxOpen,
    },
    grpc: { enable: bool("grpc", "enable", grpc.enable, false), address: addr("grpc", "address", grpc.address, `127.0.0.1:${DEFAULT_GRPC_PORT}`) },
    telemetry: {
      enabled: bool("telemetry", "enabled", telemetry.enabled, false),
      address: addr("telemetry", "address", telemetry.address, `tcp://127.0.0.1:${DEFAULT_METRICS_PORT}`),
    },
    console: {
      enable: bool("console", "enable", consoleSection.enable, false),
      address: addr("console", "address", consoleSection.address, `tcp://127.0.0.1:${DEFAULT_CONSOLE_PORT}`),
    },
  };
}
