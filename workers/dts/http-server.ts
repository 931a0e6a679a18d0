import http from "node:http";
import type { AddressInfo } from "node:net";
import { BadRequestError, parseTarget } from "../http-target.ts";
import { answerChallenge } from "./challenge.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";
import type { DtsService } from "./service.ts";
import { receiveUpload } from "./upload.ts";

const MAX_RECEIPT_BYTES = 4096;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Parses a single "bytes=a-b" / "bytes=a-" / "bytes=-n" range against a size; undefined if unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return undefined;
    start = Math.max(0, size - suffix);
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  }
  return start < end && start < size ? { start, end } : undefined;
}

/**
 * PeerDTS over HTTP: GET /content/<root> (whole content or one Range, 206 with
 * Content-Range), HEAD for the size, GET /manifest/<root>, GET /chunk/<root>/<index>
 * for one verified chunk, POST /receipt with a client's signed receipt (protobuf),
 * GET /health, GET /challenge?nonce=<hex> (the nonce signed with the node's libp2p key), and
 * PUT /content/<root> from a publisher (201 stored, or 200 if the node already held it).
 * A request it cannot parse is a 400; a 500 is only ever the node's own failure.
 * Binds to 127.0.0.1 unless told otherwise.
 */
export async function startDtsHttp(dts: DtsService, port = 0, host = "127.0.0.1"): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    handle(dts, req, res).catch((err) => send(res, err instanceof DtsError || err instanceof BadRequestError ? err.status : 500, (err as Error).message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

async function handle(dts: DtsService, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = parseTarget(req);
  if (req.method === "POST" && url.pathname === "/receipt") {
    await dts.receipt(await body(req));
    return send(res, 200, "ok");
  }
  const upload = /^\/content\/([^/]+)$/.exec(url.pathname);
  if (req.method === "PUT" && upload) {
    if (!dts.opts.uploads) throw new DtsError(405, "this node takes no uploads");
    const outcome = await receiveUpload(dts.store, dts.opts.uploads, upload[1], req);
    return outcome === "stored" ? send(res, 201, "stored") : send(res, 200, "already held");
  }
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "only GET and HEAD (POST /receipt, PUT /content/<root>)");
  const head = req.method === "HEAD";
  if (url.pathname === "/health") return send(res, 200, "ok");
  if (url.pathname === "/challenge") {
    const json = JSON.stringify(await answerChallenge(dts.opts.identity, url.searchParams.get("nonce")));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json), "cache-control": "no-store" });
    return void res.end(head ? undefined : json);
  }
  const manifest = /^\/manifest\/([^/]+)$/.exec(url.pathname);
  if (manifest) {
    const json = JSON.stringify(dts.manifest(manifest[1]));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    return void res.end(head ? undefined : json);
  }
  const chunk = /^\/chunk\/([^/]+)\/(\d+)$/.exec(url.pathname);
  if (chunk) {
    if (head) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": dts.chunkLength(chunk[1], Number(chunk[2])) });
      return void res.end();
    }
    const data = await dts.chunk(chunk[1], Number(chunk[2]), "http");
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
    return void res.end(data);
  }
  const content = /^\/content\/([^/]+)$/.exec(url.pathname);
  if (!content) return send(res, 404, "unknown path: use /content/<root>, /manifest/<root>, /chunk/<root>/<index>, /health or /challenge?nonce=<hex>");
  const m = dts.content(content[1]);
  const range = req.headers.range ? parseRange(req.headers.range, m.size) : { start: 0, end: m.size };
  if (!range) {
    res.writeHead(416, { "content-range": `bytes */${m.size}` });
    return void res.end();
  }
  const headers: http.OutgoingHttpHeaders = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": range.end - range.start };
  if (req.headers.range) headers["content-range"] = `bytes ${range.start}-${range.end - 1}/${m.size}`;
  res.writeHead(req.headers.range ? 206 : 200, headers);
  if (head) return void res.end();
  // chunk by chunk; the socket is corked so a batch of chunks leaves in one write, and
  // backpressure is waited for only once several chunks are queued
  res.cork();
  for (let i = Math.floor(range.start / m.chunkSize); i * m.chunkSize < range.end; i++) {
    const data = await dts.chunk(content[1], i, "http");
    const from = Math.max(0, range.start - i * m.chunkSize);
    const to = Math.min(data.length, range.end - i * m.chunkSize);
    res.write(data.subarray(from, to));
    if (res.writableLength > MAX_QUEUED_BYTES) {
      res.uncork();
      await new Promise((r) => res.once("drain", r));
      res.cork();
    }
  }
  res.end();
}

async function body(req: http.IncomingMessage): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of req) {
      size += (part as Buffer).length;
      if (size > MAX_RECEIPT_BYTES) throw new DtsError(413, `body over ${MAX_RECEIPT_BYTES} bytes`);
      parts.push(part as Buffer);
    }
  } catch (err) {
    if (err instanceof DtsError) throw err;
    throw new DtsError(400, `the body did not arrive whole: ${(err as Error).message}`);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function send(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(message + "\n");
}
