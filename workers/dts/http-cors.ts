import type http from "node:http";

/**
 * CORS for PeerDTS over HTTP: content is public, so any origin may read it (no credentials),
 * see the headers a range or media-aware client needs, and time it (Resource Timing).
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Content-Range, Content-Length, Accept-Ranges, ETag, Content-Type, Content-Disposition, X-Aro-Proof, Upload-Offset",
  "timing-allow-origin": "*",
};

/** Request headers a page may send: conditional and range reads, and the receipt's Content-Type. */
export const ALLOWED_REQUEST_HEADERS = ["range", "if-none-match", "if-match", "if-range", "content-type"];
/** How long a browser may keep a preflight answer (seconds). */
export const PREFLIGHT_MAX_AGE = 86400;

/** Methods a page may use on a path: POST on /receipt (a client's signed receipt), GET and HEAD elsewhere. */
export const corsMethodsFor = (pathname: string): readonly string[] => (pathname === "/receipt" ? ["POST"] : ["GET", "HEAD"]);

/**
 * Answers an OPTIONS request: 204 with the methods and headers a page may use on this path,
 * cached by the browser for a day. A preflight asking for another method, or for a request
 * header outside ALLOWED_REQUEST_HEADERS, is refused with 403 and says which.
 */
export function answerPreflight(req: http.IncomingMessage, res: http.ServerResponse): void {
  const pathname = (req.url ?? "/").split("?")[0];
  const methods = [...corsMethodsFor(pathname), "OPTIONS"];
  const base = { ...CORS_HEADERS, allow: methods.join(", "), vary: "Access-Control-Request-Method, Access-Control-Request-Headers" };
  const asked = req.headers["access-control-request-method"];
  if (asked !== undefined && !methods.includes(asked)) return refuse(res, base, `method ${asked} is not allowed on ${pathname} (allowed: ${methods.join(", ")})`);
  const askedHeaders = (req.headers["access-control-request-headers"] ?? "").split(",").map((h) => h.trim().toLowerCase()).filter((h) => h !== "");
  const other = askedHeaders.filter((h) => !ALLOWED_REQUEST_HEADERS.includes(h));
  if (other.length > 0) return refuse(res, base, `request header ${other.join(", ")} is not allowed (allowed: ${ALLOWED_REQUEST_HEADERS.join(", ")})`);
  res.writeHead(204, {
    ...base,
    "access-control-allow-methods": methods.join(", "),
    "access-control-allow-headers": ALLOWED_REQUEST_HEADERS.join(", "),
    "access-control-max-age": String(PREFLIGHT_MAX_AGE),
  });
  res.end();
}

function refuse(res: http.ServerResponse, headers: Record<string, string>, message: string): void {
  const body = `CORS preflight refused: ${message}\n`;
  res.writeHead(403, { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body), "x-content-type-options": "nosniff", "cache-control": "no-store" });
  res.end(body);
}
