import { Server, ServerCredentials, setLogger, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Logger } from "../../../chain/logger.ts";
import { hostPort } from "../node/server-config.ts";
import { REFLECTION_SERVICES, methodsByService } from "./descriptors.ts";
import { localHandler, queryHandler, type LocalMethods, type QueryFn } from "./query-method.ts";
import { addLazyReflection } from "./reflection.ts";
import { rawMethod } from "./unary.ts";

/** A request above this is refused (RESOURCE_EXHAUSTED): a tx is at most CometBFT's 1 MiB max_tx_bytes. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
/** A response above this is not sent (paginated queries stay far below). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Calls in flight on one connection. */
const MAX_CONCURRENT_STREAMS = 100;
const SHUTDOWN_GRACE_MS = 5_000;

export interface GrpcServerOptions {
  /** "host:port" ([grpc] address). */
  readonly address: string;
  /** The app's abci_query (QueryRouter.handle) and the gRPC paths it serves. */
  readonly query: QueryFn;
  readonly paths: readonly string[];
  /** The REST gateway's own methods over CometBFT's RPC (BroadcastTx, GetTxsEvent, GetBlockWithTxs, cosmos.base.tendermint), served here too. */
  readonly local: LocalMethods;
  readonly log: Logger;
}

export interface GrpcServer {
  /** The bound port (the one asked for, or the one chosen for port 0). */
  readonly port: number;
  /** Full names of the services served (reflection included). */
  readonly services: string[];
  stop(): Promise<void>;
}

/**
 * The node's gRPC server: every query service the app serves over abci_query, the tx service
 * (Simulate, GetTx, BroadcastTx) and server reflection, so grpcurl and SDK clients use it as
 * they use an SDK node's.
 */
export async function startGrpcServer(o: GrpcServerOptions): Promise<GrpcServer> {
  const { host, port } = hostPort(o.address, "[grpc] address");
  const localPaths = o.local.localPaths;
  const services = methodsByService([...o.paths, ...localPaths]);

  // grpc-js's own messages (it logs errors only) into the node's log, not bare stderr
  setLogger({ error: (...args: unknown[]) => o.log.warn("grpc-js", { message: args.map(String).join(" ") }) });
  const server = new Server({
    "grpc.max_receive_message_length": MAX_REQUEST_BYTES,
    "grpc.max_send_message_length": MAX_RESPONSE_BYTES,
    "grpc.max_concurrent_streams": MAX_CONCURRENT_STREAMS,
  });
  for (const [service, methods] of services) {
    const definition: Record<string, ReturnType<typeof rawMethod>> = {};
    const implementation: UntypedServiceImplementation = {};
    for (const m of methods) {
      const path = `/${service}/${m}`;
      definition[m] = rawMethod(path);
      implementation[m] = localPaths.includes(path) ? localHandler(o.local, path) : queryHandler(o.query, path);
    }
    server.addService(definition as unknown as ServiceDefinition, implementation);
  }
  const names = [...services.keys(), ...REFLECTION_SERVICES].sort();
  addLazyReflection(server, names);

  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(new Error(`gRPC server cannot listen on ${o.address} ([grpc] address in app.toml): ${err.message}`)) : resolve(p))),
  );
  o.log.info("gRPC server listening", { address: `${host}:${bound}`, services: names.length });
  return {
    port: bound,
    services: names,
    stop: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
