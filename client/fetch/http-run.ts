import { getGlobalDispatcher, type Dispatcher } from "undici";
import { ChunkRunDecoder } from "./chunk-run.ts";
import { DtsError } from "./dts-error.ts";
import type { ProvenChunk } from "./source.ts";

const MAX_ERROR_BODY = 4096;
/** Whole chunks waiting for the consumer before the socket is paused (then TCP holds the node back). */
const READY_LIMIT = 2;

/**
 * GET a run of chunks (chunk-run.ts) and yield each as soon as its last byte is in, through
 * undici's handler API (no stream between the socket and the decoder). At most
 * READY_LIMIT decoded chunks wait for the consumer; past that the response is paused.
 * A status other than 200 throws a DtsError with the node's message; a body that is not
 * `count` whole records throws. Leaving the loop early aborts the request.
 */
export async function* getChunkRun(url: string, count: number, signal: AbortSignal, alloc?: (length: number) => Uint8Array, dispatcher?: Dispatcher): AsyncGenerator<ProvenChunk> {
  const u = new URL(url);
  const decoder = new ChunkRunDecoder(count, alloc);
  const ready: ProvenChunk[] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  let controller: Dispatcher.DispatchController | undefined;
  let status = 0;
  let errorBody: Buffer[] | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (err: unknown) => {
    if (failure === undefined && !ended) failure = err ?? new Error("request failed");
    notify();
  };
  const onAbort = () => {
    controller?.abort(signal.reason);
    fail(signal.reason ?? new DOMException("aborted", "AbortError"));
  };
  signal.throwIfAborted();
  signal.addEventListener("abort", onAbort, { once: true });
  (dispatcher ?? getGlobalDispatcher()).dispatch({ origin: u.origin, path: u.pathname + u.search, method: "GET" }, {
    onRequestStart(c) {
      controller = c;
      if (failure !== undefined) c.abort(failure as Error);
    },
    onResponseStart(_c, statusCode) {
      status = statusCode;
      if (status !== 200) errorBody = [];
    },
    onResponseData(c, piece) {
      if (errorBody) {
        if (errorBody.reduce((n, b) => n + b.length, 0) < MAX_ERROR_BODY) errorBody.push(piece);
        return;
      }
      try {
        const done = decoder.push(piece);
        if (done.length === 0) return;
        ready.push(...done);
        if (ready.length >= READY_LIMIT) c.pause();
        notify();
      } catch (err) {
        c.abort(err as Error);
        fail(err);
      }
    },
    onResponseEnd() {
      if (errorBody) return fail(new DtsError(status, Buffer.concat(errorBody).toString("utf8").slice(0, MAX_ERROR_BODY).trim()));
      try {
        decoder.end();
        ended = true;
        notify();
      } catch (err) {
        fail(err);
      }
    },
    onResponseError(_c, err) {
      fail(err);
    },
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        if (controller?.paused && ready.length < READY_LIMIT) controller.resume();
        yield next;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (!ended && failure === undefined) controller?.abort(new Error("the run was abandoned"));
  }
}
