import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AbciApplication } from "../../../chain/abci/application.ts";
import type { Logger } from "../../../chain/logger.ts";
import { hostPort } from "../node/server-config.ts";
import { meteredApp } from "./metered-app.ts";
import { NodeMetrics, type MetricSources } from "./node-metrics.ts";

export interface Telemetry {
  /** http://host:port/metrics */
  readonly url: string;
  readonly metrics: NodeMetrics;
  /** The app with its ABCI calls measured (what the ABCI server should serve). */
  meter(app: AbciApplication): AbciApplication;
  close(): Promise<void>;
}

/**
 * app.toml's [telemetry]: Prometheus text format at GET http://<address>/metrics, bound
 * only to `address`. Anything else is 404 (405 for a method other than GET or HEAD); a
 * slow client is cut off after 10 s.
 */
export async function startTelemetry(address: string, src: MetricSources, log: Logger): Promise<Telemetry> {
  const { host, port } = hostPort(address, "[telemetry] address");
  const metrics = new NodeMetrics(src);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" });
      return void res.end("arod serves Prometheus metrics at /metrics\n");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" });
      return void res.end("use GET\n");
    }
    metrics.registry.metrics().then(
      (body) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (err: unknown) => {
        log.error("telemetry: collecting metrics failed", { err: String(err) });
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("collecting metrics failed\n");
      },
    );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.maxConnections = 100;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot serve metrics on ${host}:${port} ([telemetry] address in app.toml): ${err.code ?? err.message}`)));
    server.listen(port, host, resolve);
  });
  const bound = server.address() as AddressInfo;
  const url = `http://${host}:${bound.port}/metrics`;
  log.info("serving Prometheus metrics", { url });
  return {
    url,
    metrics,
    meter: (app) => meteredApp(app, metrics),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
