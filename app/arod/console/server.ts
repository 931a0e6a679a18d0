import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Logger } from "../../../chain/logger.ts";
import { repoRoot } from "../../common/repo-root.ts";
import { listenHttp } from "../rest/http-listen.ts";
import type { Gateway } from "../rest/gateway.ts";
import { sendJson, serveRestRequest } from "../rest/http-handler.ts";
import { loadStaticFiles, type StaticFile } from "./static-files.ts";

/** Where scripts/build-console writes the console (gitignored). */
export const CONSOLE_BUILD_DIR = path.join(repoRoot, ".bin", "console");
/** Requests answered at once; more wait for a free slot. */
const MAX_IN_FLIGHT = 64;
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export interface ConsoleServerOptions {
  readonly address: string;
  /** The REST server's gateway: the console's page reads and broadcasts through it on its own origin. */
  readonly gateway: Gateway;
  /** The node's minimum gas price ("0.025uaro"), which the page's wallet pays. */
  readonly minGasPrice?: string;
  /** CometBFT's RPC, for a wallet that is told about the chain (Keplr's experimentalSuggestChain). */
  readonly rpcUrl?: string;
  readonly dir?: string;
  readonly log: Logger;
}

export interface ConsoleServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The console on console.address: its built page and, on the same origin, the REST routes
 * (/cosmos/…, /aro/…) through the REST server's gateway, so the page needs no CORS.
 * GET /console-config.json tells the page the node's minimum gas price and RPC address.
 */
export async function startConsoleServer(o: ConsoleServerOptions): Promise<ConsoleServer> {
  const dir = o.dir ?? CONSOLE_BUILD_DIR;
  let files = loadStaticFiles(dir);
  let builtAt = indexMtime(dir);
  if (!files) o.log.warn("the console is not built: its page answers 503 until `bash scripts/build-console` builds it", { dir });
  /** A rebuild (scripts/build-console) is picked up at the next page load, without a restart. */
  const current = () => {
    const m = indexMtime(dir);
    if (m !== builtAt) {
      builtAt = m;
      files = loadStaticFiles(dir);
    }
    return files;
  };
  const listening = await listenHttp(o.address, "console.address", MAX_IN_FLIGHT, async (req, res) => {
    try {
      const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
      if (/^\/(cosmos|aro)\//.test(pathname)) return await serveRestRequest(o.gateway, req, res, o.log);
      if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res.setHeader("allow", "GET, HEAD"), 405, { code: 12, message: `method ${req.method} not allowed on ${pathname}`, details: [] });
      if (pathname === "/console-config.json") return sendJson(res.setHeader("cache-control", "no-cache"), 200, { min_gas_price: o.minGasPrice ?? "", rpc: o.rpcUrl ?? "" });
      const built = pathname === "/" || pathname === "/index.html" ? current() : files;
      if (!built) return sendText(res, 503, "The console is not built on this node: run `bash scripts/build-console` (or `bash scripts/setup`) in the Aro checkout, then reload.\n");
      const file = built.get(pathname === "/" ? "/index.html" : pathname);
      if (!file) return sendText(res, 404, `not found: ${pathname}\n`);
      sendFile(req, res, file);
    } catch (err) {
      o.log.error("console request failed", { url: req.url, err: (err as Error).stack });
      if (!res.headersSent) sendText(res, 500, "internal error\n");
    }
  });
  o.log.info("console listening", { address: listening.url, built: Boolean(files) });
  return listening;
}

function indexMtime(dir: string): number {
  try {
    return fs.statSync(path.join(dir, "index.html")).mtimeMs;
  } catch {
    return 0;
  }
}

function sendFile(req: http.IncomingMessage, res: http.ServerResponse, f: StaticFile): void {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS, "content-type": f.type, etag: f.etag, vary: "accept-encoding",
    "cache-control": f.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (req.headers["if-none-match"] === f.etag) return void res.writeHead(304, headers).end();
  const gzip = f.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? f.gzip! : f.body;
  if (gzip) headers["content-encoding"] = "gzip";
  res.writeHead(200, { ...headers, "content-length": String(body.length) }).end(req.method === "HEAD" ? undefined : body);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) }).end(text);
}
