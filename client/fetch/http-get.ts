import { getGlobalDispatcher, type Dispatcher } from "undici";

export interface HttpBytes {
  status: number;
  body: Buffer;
  /** performance.now() when the first body byte arrived (0 for an empty body) */
  firstByteAt: number;
  /** the response headers asked for by name (lower case), when present */
  headers: Record<string, string>;
}

export class BodyTooLargeError extends Error {
  constructor(readonly url: string, readonly limit: number) {
    super(`${url}: body over ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * GET a whole body into one buffer through undici's handler API (`dispatch`), with no
 * stream between the socket and the buffer: a 1 MiB body costs the client about a
 * third less CPU than `request()` and reading `body`. A body over `maxBytes` (by its
 * content-length or as it arrives) aborts the request.
 */
export function getBytes(url: string, opts: { signal?: AbortSignal; maxBytes?: number; dispatcher?: Dispatcher; headers?: readonly string[] } = {}): Promise<HttpBytes> {
  const { signal, maxBytes = Number.MAX_SAFE_INTEGER } = opts;
  const u = new URL(url);
  return new Promise<HttpBytes>((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let status = 0;
    let firstByteAt = 0;
    const picked: Record<string, string> = {};
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve({ status, body: parts.length === 1 ? parts[0] : Buffer.concat(parts, size), firstByteAt, headers: picked });
    };
    const onAbort = () => {
      const reason = signal!.reason ?? new DOMException("aborted", "AbortError");
      controller?.abort(reason);
      finish(reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    (opts.dispatcher ?? getGlobalDispatcher()).dispatch({ origin: u.origin, path: u.pathname + u.search, method: "GET" }, {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(signal?.reason);
      },
      onResponseStart(c, statusCode, headers) {
        status = statusCode;
        for (const name of opts.headers ?? []) {
          const v = headers[name];
          if (typeof v === "string") picked[name] = v;
        }
        const declared = Number(headers["content-length"]);
        if (declared > maxBytes) {
          c.abort(new BodyTooLargeError(url, maxBytes));
        }
      },
      onResponseData(c, chunk) {
        if (!firstByteAt) firstByteAt = performance.now();
        size += chunk.length;
        if (size > maxBytes) return c.abort(new BodyTooLargeError(url, maxBytes));
        parts.push(chunk);
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_c, err) {
        finish(err);
      },
    });
  });
}
