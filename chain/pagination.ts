import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { sdkErrors } from "./errors.ts";

const DEFAULT_LIMIT = 100n;
const MAX_LIMIT = 1000n;
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Pages sorted store entries as the SDK does: by `key` (the nextKey from the previous
 * page) or by `offset`, never both.
 */
export function paginate<T>(
  entries: ReadonlyArray<readonly [string, T]>,
  page: PageRequest | undefined,
): { items: T[]; pagination: PageResponse } {
  const hasKey = !!page && page.key.length > 0;
  if (hasKey && page!.offset > 0n) throw sdkErrors.invalidRequest.wrap("either offset or key is expected, got both");
  let limit = page && page.limit > 0n ? page.limit : DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) limit = MAX_LIMIT;
  const list = page?.reverse ? [...entries].reverse() : entries;
  let start = 0;
  if (hasKey) {
    const key = dec.decode(page!.key);
    start = list.findIndex(([k]) => (page!.reverse ? k <= key : k >= key));
    if (start < 0) start = list.length;
  } else if (page) {
    start = Number(page.offset > BigInt(list.length) ? BigInt(list.length) : page.offset);
  }
  const end = Math.min(list.length, start + Number(limit));
  const next = list[end];
  return {
    items: list.slice(start, end).map(([, v]) => v),
    pagination: {
      nextKey: next ? enc.encode(next[0]) : new Uint8Array(),
      total: page?.countTotal && !hasKey ? BigInt(list.length) : 0n,
    },
  };
}
