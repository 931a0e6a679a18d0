import http from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { BadRequestError, parseTarget } from "../../workers/http-target.ts";

/** The agent's Prometheus metrics (one registry per agent, so several agents can share a process in tests). */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly bytesServed = new Counter({ name: "aro_dts_bytes_served_total", help: "content bytes served", labelNames: ["transport"], registers: [this.registry] });
  readonly chunksServed = new Counter({ name: "aro_dts_chunks_served_total", help: "chunks served", labelNames: ["transport"], registers: [this.registry] });
  readonly receipts = new Counter({ name: "aro_gpow_receipts_total", help: "client receipts accepted", registers: [this.registry] });
  readonly claims = new Counter({ name: "aro_gpow_claims_total", help: "delivery claims submitted", registers: [this.registry] });
  readonly proofs = new Counter({ name: "aro_gpow_proofs_total", help: "delivery proofs submitted", registers: [this.registry] });
  readonly storageProofs = new Counter({ name: "aro_gpow_storage_proofs_total", help: "storage challenges answered", registers: [this.registry] });
  readonly jobs = new Counter({ name: "aro_hvm_jobs_total", help: "compute jobs run", labelNames: ["status"], registers: [this.registry] });
  readonly computeUnits = new Counter({ name: "aro_hvm_compute_units_total", help: "compute units (metered wasm instructions) used", registers: [this.registry] });
  readonly pinned = new Gauge({ name: "aro_dts_contents_held", help: "complete contents in the blockstore", registers: [this.registry] });
  readonly downloads = new Counter({ name: "aro_dts_downloads_total", help: "contents fetched from other nodes", labelNames: ["reason"], registers: [this.registry] });
  readonly peers = new Gauge({ name: "aro_p2p_peers", help: "connected libp2p peers", registers: [this.registry] });
  readonly height = new Gauge({ name: "aro_chain_height", help: "latest chain height seen", registers: [this.registry] });
  readonly balance = new Gauge({ name: "aro_operator_balance", help: "operator fee balance (base units)", registers: [this.registry] });
  readonly probes = new Counter({ name: "aro_watcher_probes_total", help: "watcher probes", labelNames: ["result"], registers: [this.registry] });
  readonly txLatency = new Histogram({ name: "aro_tx_seconds", help: "time from signing to inclusion", labelNames: ["msg"], buckets: [0.5, 1, 2, 5, 10, 30], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "aro_agent_" });
  }
}

export interface StatusSource {
  status(): Promise<Record<string, unknown>>;
  healthy(): Promise<{ ok: boolean; checks: Record<string, string> }>;
}

/** GET /metrics (Prometheus text), /health (200 or 503 with the failing checks), /status (JSON); 400 for a request target it cannot parse. */
export async function startMetricsHttp(metrics: AgentMetrics, source: StatusSource, listen: string): Promise<{ url: string; close(): Promise<void> }> {
  const [host, portText] = splitHostPort(listen);
  const server = http.createServer(async (req, res) => {
    try {
      const path = parseTarget(req).pathname;
      if (path === "/metrics") {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        return void res.end(body);
      }
      if (path === "/health") {
        const h = await source.healthy();
        res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" });
        return void res.end(JSON.stringify(h));
      }
      if (path === "/status") {
        // the status first: if it fails, the answer is still a 500, not a 200 cut short
        const body = JSON.stringify(await source.status(), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(body);
      }
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("use /metrics, /health or /status\n");
    } catch (err) {
      // a request it cannot parse is the client's fault (400); anything else is the agent's (500)
      if (res.headersSent) return void res.destroy();
      res.writeHead(err instanceof BadRequestError ? 400 : 500, { "content-type": "text/plain" });
      res.end(`${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(portText), host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** "127.0.0.1:9100" → ["127.0.0.1", "9100"]; a clear error otherwise. */
export function splitHostPort(listen: string): [string, string] {
  const m = /^([^:]+):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) throw new Error(`listen address must be host:port, got ${JSON.stringify(listen)}`);
  return [m[1], m[2]];
}
