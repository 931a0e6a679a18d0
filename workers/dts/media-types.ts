import type { Logger } from "pino";
import type { QueryContentByRootResponse } from "../../proto/gen/aro/market/v1/query.ts";
import { DEFAULT_MEDIA_TYPE, mediaTypeProblem, servedMediaType } from "../../protocol/media-type.ts";

/** The one chain query the resolver needs (an AroQuery's `aro.market` has it). */
export interface ContentByRootQuery {
  ContentByRoot(request: { root: string }): Promise<QueryContentByRootResponse>;
}

export interface MediaTypesInit {
  /** roots whose media type is kept (least recently used evicted); default 10,000 */
  readonly size?: number;
  /** a lookup taking longer is answered application/octet-stream (ms); default 2,000 */
  readonly timeoutMs?: number;
  readonly log?: Pick<Logger, "warn">;
}

export interface MediaTypes {
  /** The Content-Type to serve a content root as: its media type on chain, application/octet-stream when it has none or the lookup fails. */
  mediaTypeOf(root: string): Promise<string>;
  /** roots held now (for metrics and tests) */
  readonly cached: number;
}

/**
 * Root → media type, from the chain's ContentByRoot query, with a bounded LRU. A content's
 * media type never changes once published, so a found answer is kept until evicted; a failed
 * lookup (unknown root, chain unreachable or slow) is application/octet-stream and is not kept,
 * so the next request asks again. Concurrent lookups of one root share one query.
 * Call it for roots the node holds: each unknown root costs one query.
 */
export function chainMediaTypes(market: ContentByRootQuery, init: MediaTypesInit = {}): MediaTypes {
  const size = init.size ?? 10_000;
  if (!Number.isInteger(size) || size < 1) throw new Error(`media type cache size must be a positive integer, not ${size}`);
  const timeoutMs = init.timeoutMs ?? 2_000;
  const known = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();

  const remember = (root: string, type: string) => {
    known.delete(root);
    known.set(root, type);
    if (known.size > size) known.delete(known.keys().next().value as string);
  };

  const lookup = async (root: string): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      });
      const { content } = await Promise.race([market.ContentByRoot({ root }), timeout]);
      const stored = content?.mediaType ?? "";
      const problem = mediaTypeProblem(stored);
      if (problem) throw new Error(problem);
      const type = servedMediaType(stored);
      remember(root, type);
      return type;
    } catch (err) {
      init.log?.warn({ root, err: (err as Error).message }, "media type lookup failed: serving application/octet-stream");
      return DEFAULT_MEDIA_TYPE;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    mediaTypeOf(root) {
      const hit = known.get(root);
      if (hit !== undefined) {
        remember(root, hit);
        return Promise.resolve(hit);
      }
      let p = pending.get(root);
      if (!p) {
        p = lookup(root).finally(() => pending.delete(root));
        pending.set(root, p);
      }
      return p;
    },
    get cached() {
      return known.size;
    },
  };
}
