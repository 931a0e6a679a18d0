import { randomBytes } from "node:crypto";
import type http from "node:http";
import { servedMediaType } from "../../protocol/media-type.ts";
import { CORS_HEADERS } from "./http-cors.ts";
import { ifMatchHolds, ifRangeHolds, noneMatchHits, parseRanges, type ByteRange } from "./http-ranges.ts";

export { answerPreflight, CORS_HEADERS } from "./http-cors.ts";
export { MAX_RANGES } from "./http-ranges.ts";

/** What one content (or one file's byte window of a collection) is served as. */
export interface ServedContent {
  /** bytes in the representation */
  readonly size: number;
  /** hex merkle root of these bytes: the strong ETag, `"<root>"` */
  readonly root: string;
  /** as published on chain; empty is application/octet-stream */
  readonly mediaType: string;
  /** a file's name (a collection's path may be given: its last segment is used) for Content-Disposition */
  readonly fileName?: string;
  /** verified bytes [start, end) of the representation, in order, exactly end - start of them */
  readRange(start: number, end: number): AsyncIterable<Uint8Array>;
}

/** Bytes queued on the socket before waiting for it to drain. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";
const ROOT = /^[0-9a-f]{1,128}$/;

/**
 * Answers a GET or HEAD for one immutable content, as CDNs and browsers expect (RFC 9110,
 * 9111): strong ETag, a year's immutable Cache-Control, If-Match (412), If-None-Match (304,
 * weak comparison, lists and `*`), Range with If-Range (one range: 206 with Content-Range;
 * several: 206 multipart/byteranges; none satisfiable or over MAX_RANGES: 416 with
 * `Content-Range: bytes * /size`), HEAD as GET without a body, CORS on every answer.
 *
 * Nothing is read for HEAD, 304, 412 or 416. For GET the first bytes are read before the
 * status line, so a readRange that fails at once (content not held) rejects with nothing
 * sent and the caller answers the error; a failure later destroys the connection (the
 * client sees a short body, never a wrong one) and rejects. Writes are corked and wait for
 * drain once MAX_QUEUED_BYTES are queued; a client that goes away stops the reading.
 */
export async function serveContent(req: http.IncomingMessage, res: http.ServerResponse, o: ServedContent): Promise<void> {
  if (!ROOT.test(o.root)) throw new Error(`serveContent: root ${JSON.stringify(o.root)} is not hex`);
  if (!Number.isSafeInteger(o.size) || o.size < 0) throw new Error(`serveContent: size ${o.size} is not a byte count`);
  const head = req.method === "HEAD";
  if (!head && req.method !== "GET") return sendEmpty(res, 405, { allow: "GET, HEAD, OPTIONS" });
  const validators = { ...CORS_HEADERS, etag: `"${o.root}"`, "cache-control": IMMUTABLE, "accept-ranges": "bytes" };
  if (!ifMatchHolds(header(req, "if-match"), o.root)) return sendEmpty(res, 412, { ...CORS_HEADERS, etag: validators.etag });
  if (noneMatchHits(header(req, "if-none-match"), o.root)) return sendEmpty(res, 304, validators);

  const type = servedMediaType(o.mediaType);
  const entity: http.OutgoingHttpHeaders = { ...validators, "content-type": type, "x-content-type-options": "nosniff" };
  if (o.fileName !== undefined) entity["content-disposition"] = contentDisposition(o.fileName);
  const range = ifRangeHolds(header(req, "if-range"), o.root) ? parseRanges(header(req, "range"), o.size) : { kind: "whole" as const };
  if (range.kind === "unsatisfiable") {
    const body = `416 range not satisfiable: ${range.reason}\n`;
    res.writeHead(416, {
      ...CORS_HEADERS, etag: validators.etag, "accept-ranges": "bytes", "content-range": `bytes */${o.size}`, "cache-control": "no-store",
      "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "content-length": Buffer.byteLength(body),
    });
    return void res.end(head ? undefined : body);
  }
  if (range.kind === "whole" || range.ranges.length === 1) {
    const r = range.kind === "whole" ? { start: 0, end: o.size } : range.ranges[0];
    const status = range.kind === "whole" ? 200 : 206;
    const headers = { ...entity, "content-length": r.end - r.start, ...(status === 206 ? { "content-range": contentRange(r, o.size) } : {}) };
    if (head) return void (res.writeHead(status, headers), res.end());
    return stream(res, [{ range: r }], o, () => res.writeHead(status, headers));
  }
  const boundary = randomBytes(12).toString("hex");
  const parts = range.ranges.map((r, i) => ({
    range: r,
    preamble: `${i === 0 ? "" : "\r\n"}--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: ${contentRange(r, o.size)}\r\n\r\n`,
  }));
  const epilogue = `\r\n--${boundary}--\r\n`;
  const length = parts.reduce((n, p) => n + Buffer.byteLength(p.preamble) + p.range.end - p.range.start, Buffer.byteLength(epilogue));
  const headers = { ...entity, "content-type": `multipart/byteranges; boundary=${boundary}`, "content-length": length };
  if (head) return void (res.writeHead(206, headers), res.end());
  return stream(res, parts, o, () => res.writeHead(206, headers), epilogue);
}

/** `inline; filename="<ASCII fallback>"; filename*=UTF-8''<RFC 8187 encoding>` of a name's last path segment. */
export function contentDisposition(fileName: string): string {
  const name = fileName.slice(fileName.lastIndexOf("/") + 1) || "content";
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = Array.from(new TextEncoder().encode(name), (b) => (ATTR_CHAR.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
// RFC 8187 attr-char
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

const contentRange = (r: ByteRange, size: number) => `bytes ${r.start}-${r.end - 1}/${size}`;

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function sendEmpty(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders): void {
  res.writeHead(status, headers);
  res.end();
}

interface Part {
  readonly range: ByteRange;
  readonly preamble?: string;
}

/** Writes the parts' bytes (and preambles) in order; writeHead runs once the first bytes are in hand. */
async function stream(res: http.ServerResponse, parts: readonly Part[], o: ServedContent, writeHead: () => void, epilogue?: string): Promise<void> {
  let started = false;
  const closed = () => res.destroyed || res.writableEnded;
  try {
    for (const part of parts) {
      const iterator = o.readRange(part.range.start, part.range.end)[Symbol.asyncIterator]();
      let left = part.range.end - part.range.start;
      try {
        let next = await iterator.next();
        if (!started) {
          if (closed()) return;
          writeHead();
          res.cork();
          started = true;
        }
        if (part.preamble) res.write(part.preamble);
        for (; !next.done; next = await iterator.next()) {
          if (closed()) return;
          const bytes = next.value;
          if (bytes.length > left) throw new Error(`readRange(${part.range.start}, ${part.range.end}) yielded more bytes than asked`);
          left -= bytes.length;
          res.write(bytes);
          if (res.writableLength > MAX_QUEUED_BYTES && !(await drained(res))) return;
          if (left === 0) break;
        }
        if (left > 0) throw new Error(`readRange(${part.range.start}, ${part.range.end}) ended ${left} bytes short`);
      } finally {
        await iterator.return?.();
      }
    }
    if (epilogue) res.write(epilogue);
    res.end();
  } catch (err) {
    if (started) res.destroy();
    throw err;
  }
}

/** Uncorks and waits until the socket drains (true) or the client is gone (false); corks again. */
async function drained(res: http.ServerResponse): Promise<boolean> {
  res.uncork();
  if (res.destroyed) return false;
  const ok = await new Promise<boolean>((resolve) => {
    const done = (v: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(v);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
  if (ok) res.cork();
  return ok;
}
