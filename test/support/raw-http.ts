import net from "node:net";

/** One HTTP/1.1 response read off a raw socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What came back for one raw request on its own connection. */
export interface RawExchange {
  /** every byte the server sent */
  raw: Buffer;
  /** the responses in `raw`, or the reason `raw` is not well-formed HTTP/1.1 */
  responses: RawResponse[];
  malformed?: string;
  /** the socket timed out (the server neither answered nor closed in time) */
  timedOut: boolean;
  /** the connection ended in an error (e.g. ECONNRESET) instead of a close */
  error?: string;
}

export interface RawOptions {
  timeoutMs?: number;
  /** the request is a HEAD (its response carries no body) */
  head?: boolean;
  /** half-close after writing (default true): the server sees the end of the request */
  end?: boolean;
}

/**
 * Sends raw bytes to a server on 127.0.0.1 (fetch and undici refuse to send malformed
 * request targets) and reads until the server closes, the socket times out, or — with
 * `end: false` — the first complete response arrived.
 */
export function rawRequest(baseUrl: string, request: string | Buffer, o: RawOptions = {}): Promise<RawExchange> {
  const { timeoutMs = 5_000, head = false, end = true } = o;
  const u = new URL(baseUrl);
  if (u.hostname !== "127.0.0.1") throw new Error(`raw requests go to 127.0.0.1 only, not ${u.hostname}`);
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let timedOut = false;
    let error: string | undefined;
    let done = false;
    const socket = net.connect(Number(u.port), "127.0.0.1");
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const raw = Buffer.concat(parts);
      let responses: RawResponse[] = [];
      let malformed: string | undefined;
      try {
        responses = parseResponses(raw, head);
      } catch (err) {
        malformed = (err as Error).message;
      }
      resolve({ raw, responses, malformed, timedOut, error });
    };
    socket.setTimeout(timeoutMs, () => {
      timedOut = true;
      finish();
    });
    socket.on("data", (d: Buffer) => {
      parts.push(d);
      if (!end) {
        try {
          if (parseResponses(Buffer.concat(parts), head, false).length > 0) finish();
        } catch {
          // incomplete so far
        }
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
      finish();
    });
    socket.on("close", finish);
    socket.write(request);
    if (end) socket.end();
  });
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses consecutive HTTP/1.1 responses (Content-Length, chunked or close-delimited
 * bodies); throws on anything malformed or incomplete. Only the first answers `head`.
 */
export function parseResponses(buf: Buffer, head = false, closed = true): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  while (at < buf.length) {
    const headEnd = buf.indexOf("\r\n\r\n", at);
    if (headEnd < 0) throw new Error(`incomplete response head: ${JSON.stringify(buf.subarray(at, at + 200).toString("latin1"))}`);
    const lines = buf.subarray(at, headEnd).toString("latin1").split("\r\n");
    const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]*$/.exec(lines[0]);
    if (!m) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(":");
      const name = line.slice(0, i);
      if (i <= 0 || !TOKEN.test(name)) throw new Error(`bad header line ${JSON.stringify(line)}`);
      headers[name.toLowerCase()] = line.slice(i + 1).trim();
    }
    at = headEnd + 4;
    let body: Buffer = Buffer.alloc(0);
    const bodiless = (head && out.length === 0) || (status >= 100 && status < 200) || status === 204 || status === 304;
    if (!bodiless) {
      if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
        const chunks: Buffer[] = [];
        for (;;) {
          const lineEnd = buf.indexOf("\r\n", at);
          if (lineEnd < 0) throw new Error("incomplete chunk size line");
          const size = parseInt(buf.subarray(at, lineEnd).toString("latin1").split(";")[0], 16);
          if (!Number.isFinite(size) || size < 0) throw new Error("bad chunk size");
          at = lineEnd + 2;
          if (size === 0) {
            // trailers, then an empty line
            for (;;) {
              const t = buf.indexOf("\r\n", at);
              if (t < 0) throw new Error("incomplete trailers");
              const empty = t === at;
              at = t + 2;
              if (empty) break;
            }
            break;
          }
          if (at + size + 2 > buf.length) throw new Error("incomplete chunk");
          chunks.push(buf.subarray(at, at + size));
          if (buf.subarray(at + size, at + size + 2).toString("latin1") !== "\r\n") throw new Error("chunk not followed by CRLF");
          at += size + 2;
        }
        body = Buffer.concat(chunks);
      } else if (headers["content-length"] !== undefined) {
        if (!/^\d+$/.test(headers["content-length"])) throw new Error(`bad content-length ${headers["content-length"]}`);
        const n = Number(headers["content-length"]);
        if (at + n > buf.length) throw new Error(`body shorter than its content-length ${n}`);
        body = buf.subarray(at, at + n);
        at += n;
      } else {
        if (!closed) throw new Error("close-delimited body still open");
        body = buf.subarray(at);
        at = buf.length;
      }
    }
    out.push({ status, headers, body });
  }
  return out;
}
