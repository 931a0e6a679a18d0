import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Blockstore } from "./blockstore.ts";

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
 * Content-Range), HEAD for the size, GET /chunk/<root>/<index> for one verified chunk.
 * Binds to 127.0.0.1 unless told otherwise.
 */
export async function startDtsHttp(store: Blockstore, port = 0, host = "127.0.0.1"): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://x");
      const content = /^\/content\/([0-9a-f]{64})$/.exec(url.pathname);
      const chunk = /^\/chunk\/([0-9a-f]{64})\/(\d+)$/.exec(url.pathname);
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "only GET and HEAD");
      if (chunk) {
        const data = store.chunk(chunk[1], Number(chunk[2]));
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
        return void res.end(req.method === "HEAD" ? undefined : data);
      }
      if (!content) return send(res, 404, "unknown path: use /content/<root> or /chunk/<root>/<index>");
      const m = store.manifest(content[1]);
      if (!m) return send(res, 404, `content ${content[1]} is not on this node`);
      const range = req.headers.range ? parseRange(req.headers.range, m.size) : { start: 0, end: m.size };
      if (!range) {
        res.writeHead(416, { "content-range": `bytes */${m.size}` });
        return void res.end();
      }
      const headers: http.OutgoingHttpHeaders = { "content-type": "application/octet-stream", "accept-ranges": "bytes", "content-length": range.end - range.start };
      if (req.headers.range) headers["content-range"] = `bytes ${range.start}-${range.end - 1}/${m.size}`;
      res.writeHead(req.headers.range ? 206 : 200, headers);
      res.end(req.method === "HEAD" ? undefined : store.read(content[1], range.start, range.end));
    } catch (err) {
      send(res, 500, (err as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://${host}:${bound}`, close: () => new Promise((r) => server.close(() => r())) };
}

function send(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(message + "\n");
}
