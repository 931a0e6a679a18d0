/** An answer that is not the data asked for: the node's error JSON ({ code, message }) or no answer at all. */
export class RestError extends Error {
  constructor(readonly status: number, readonly code: number | undefined, message: string) {
    super(message);
  }
}

const TIMEOUT_MS = 20_000;

/**
 * GET (or POST) a REST route on this page's own origin: the console's server answers /cosmos/…
 * and /aro/… with the node's REST gateway. Throws RestError with the node's code and message.
 */
export async function rest<T = any>(path: string, init?: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
  } catch (err) {
    if (init?.signal?.aborted) throw err;
    throw new RestError(0, undefined, `the node did not answer ${path}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RestError(res.status, undefined, `${path} answered ${res.status} without JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw new RestError(res.status, typeof json?.code === "number" ? json.code : undefined, String(json?.message ?? text));
  return json as T;
}

/** "a=1&b=x" from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** gRPC's NOT_FOUND, as the gateway answers a missing record. */
export const isNotFound = (err: unknown) => err instanceof RestError && (err.code === 5 || err.status === 404);
