import type http from "node:http";

/** A request the server cannot make sense of: always answered 400, never 500. */
export class BadRequestError extends Error {
  readonly status = 400;
}

/**
 * The request target (path and query) of a request to one of the node's HTTP servers.
 * Node's parser lets through targets the WHATWG URL parser refuses (`//[`, `http://[::1`,
 * `http://host:99999/`): those are the client's fault, so a BadRequestError (400), not
 * the TypeError that would otherwise end as a 500.
 */
export function parseTarget(req: http.IncomingMessage): URL {
  const target = req.url ?? "/";
  try {
    return new URL(target, "http://x");
  } catch {
    const shown = target.length > 200 ? `${target.slice(0, 200)}…` : target;
    throw new BadRequestError(`malformed request target ${JSON.stringify(shown)}: expected a path such as /health`);
  }
}
