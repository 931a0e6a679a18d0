import http from "node:http";
import type { AddressInfo } from "node:net";
import { BadRequestError, parseTarget } from "../http-target.ts";
import { answerChallenge } from "./challenge.ts";
import { DtsError } from "../../client/fetch/dts-error.ts";
import type { DtsService } from "./service.ts";
import { receiveUpload, UPLOAD_OFFSET_HEADER, uploadOffset } from "./upload.ts";
import { proofToHex } from "../../client/content/proof-hex.ts";
import { PROOF_HEADER } from "../../client/fetch/http-source.ts";
import { answerPreflight, CORS_HEADERS, serveContent } from "./http-content.ts";

const MAX_RECEIPT_BYTES = 4096;

/**
 * PeerDTS over HTTP: GET and HEAD /content/<root> with the semantics CDNs and browsers
 * expect (http-content.ts: media type, ETag, immutable caching, 304, ranges, CORS; OPTIONS
 * preflights), GET /manifest/<root>, GET /chunk/<root>/<index>
 * for one verified chunk (its audit path in X-Aro-Proof), GET /chunks/<root>/<first>/<count>
 * for a run of them (client/fetch/chunk-run.ts), POST /receipt with a client's signed receipt (protobuf),
 * GET /health, GET /challenge?nonce=<hex> (the nonce signed with the node's libp2p key), and
 * PUT /content/<root> from a publisher (201 stored, or 200 if the node already held it;
 * streamed, resumable: HEAD /upload/<root> answers the Upload-Offset to resume from with
 * a Content-Range, see upload.ts).
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
  if (req.method === "OPTIONS") return answerPreflight(req, res);
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
  const resume = /^\/upload\/([^/]+)$/.exec(url.pathname);
  if (resume) {
    if (!dts.opts.uploads) throw new DtsError(405, "this node takes no uploads");
    const offset = String(uploadOffset(dts.store, resume[1]));
    res.writeHead(200, { ...CORS_HEADERS, "content-type": "text/plain", [UPLOAD_OFFSET_HEADER]: offset, "content-length": offset.length + 1, "cache-control": "no-store" });
    return void res.end(head ? undefined : offset + "\n");
  }
  if (url.pathname === "/challenge") {
    const json = JSON.stringify(await answerChallenge(dts.opts.identity, url.searchParams.get("nonce")));
    res.writeHead(200, { ...CORS_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(json), "cache-control": "no-store" });
    return void res.end(head ? undefined : json);
  }
  const manifest = /^\/manifest\/([^/]+)$/.exec(url.pathname);
  if (manifest) {
    const json = JSON.stringify(dts.manifest(manifest[1]));
    res.writeHead(200, { ...CORS_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    return void res.end(head ? undefined : json);
  }
  const chunk = /^\/chunk\/([^/]+)\/(\d+)$/.exec(url.pathname);
  if (chunk) {
    if (head) {
      res.writeHead(200, { ...CORS_HEADERS, "content-type": "application/octet-stream", "content-length": dts.chunkLength(chunk[1], Number(chunk[2])) });
      return void res.end();
    }
    const data = await dts.chunk(chunk[1], Number(chunk[2]), "http");
    res.writeHead(200, { ...CORS_HEADERS, "content-type": "application/octet-stream", "content-length": data.length, [PROOF_HEADER]: proofToHex(dts.proof(chunk[1], Number(chunk[2]))) });
    return void res.end(data);
  }
  const run = /^\/chunks\/([^/]+)\/(\d+)\/(\d+)$/.exec(url.pathname);
  if (run) return serveRun(dts, res, run[1], Number(run[2]), Number(run[3]), head);
  const inCollection = /^\/content\/([^/]+)\/(.*)$/.exec(url.pathname);
  if (inCollection) return serveCollectionFile(dts, req, res, inCollection[1], inCollection[2]);
  const content = /^\/content\/([^/]+)$/.exec(url.pathname);
  if (!content) return send(res, 404, "unknown path: use /content/<root>, /content/<root>/<path> (a file of a collection), /manifest/<root>, /chunk/<root>/<index>, /chunks/<root>/<first>/<count>, /health or /challenge?nonce=<hex>");
  const m = dts.content(content[1]);
  return serveContent(req, res, { size: m.size, root: m.root, mediaType: await dts.mediaType(m.root), readRange: (start, end) => dts.read(m.root, start, end, "http") });
}

/** GET /chunks/<root>/<first>/<count>: a run of chunks with their audit paths (client/fetch/chunk-run.ts), streamed as they are read. */
async function serveRun(dts: DtsService, res: http.ServerResponse, root: string, first: number, count: number, head: boolean): Promise<void> {
  const length = dts.runBytes(root, first, count);
  res.writeHead(200, { ...CORS_HEADERS, "content-type": "application/octet-stream", "content-length": length, "cache-control": "no-store" });
  if (head) return void res.end();
  for await (const record of dts.run(root, first, count, "http", true)) {
    if (res.destroyed) return record.release();
    res.write(record.head);
    // the buffer goes back to the pool once the socket has taken it
    if (!res.write(record.data, () => record.release())) await drained(res);
  }
  res.end();
}

/** Until the response can take more, or is gone. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** GET or HEAD /content/<root>/<path>: one file of a collection, its sha256 the ETag, its bytes read from the collection's verified chunks. */
async function serveCollectionFile(dts: DtsService, req: http.IncomingMessage, res: http.ServerResponse, root: string, encodedPath: string): Promise<void> {
  dts.content(root);
  let filePath: string;
  try {
    filePath = encodedPath.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw new DtsError(400, "the file path is not valid percent-encoding");
  }
  const f = dts.collections.file(root, filePath);
  return serveContent(req, res, { size: f.size, root: f.sha256, mediaType: f.mediaType, fileName: f.path, readRange: (start, end) => dts.read(root, f.offset + start, f.offset + end, "http") });
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
  res.writeHead(status, { ...CORS_HEADERS, "content-type": "text/plain; charset=utf-8" });
  res.end(message + "\n");
}
