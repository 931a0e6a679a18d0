/**
 * The request-side rules of serving an immutable content over HTTP (RFC 9110): entity-tag
 * comparison for If-None-Match / If-Match / If-Range, and Range parsing.
 *
 * Ranges: a header that is not `bytes=` ranges (unit case-insensitive), or has a spec whose
 * last is before its first, or is longer than MAX_RANGE_HEADER, is ignored (200, whole body),
 * as RFC 9110 §14.2 allows. Satisfiable specs are sorted and overlapping or adjacent ones
 * coalesced (§15.3.7.2); unsatisfiable ones among them are dropped; none left is a 416. More
 * than MAX_RANGES specs is refused with 416 rather than answered with the whole body: delivery
 * is paid by the byte, so a client must never be sent (and charged for) bytes it did not ask for.
 */

/** Most byte-range specs one request may ask for. */
export const MAX_RANGES = 16;
/** Longest Range header read (16 specs of two 16-digit numbers fit easily). */
export const MAX_RANGE_HEADER = 1024;

/** A byte window [start, end) of the representation. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangeRequest =
  | { readonly kind: "whole" }
  | { readonly kind: "ranges"; readonly ranges: readonly ByteRange[] }
  | { readonly kind: "unsatisfiable"; readonly reason: string };

const SPEC = /^(\d*)-(\d*)$/;

/** What a Range header asks of a representation of `size` bytes. */
export function parseRanges(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || header.length > MAX_RANGE_HEADER) return { kind: "whole" };
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "whole" };
  const specs = header.slice(eq + 1).split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.length === 0) return { kind: "whole" };
  if (specs.length > MAX_RANGES) return { kind: "unsatisfiable", reason: `at most ${MAX_RANGES} ranges per request` };
  const wanted: ByteRange[] = [];
  for (const spec of specs) {
    const m = SPEC.exec(spec);
    if (!m || (m[1] === "" && m[2] === "")) return { kind: "whole" };
    if (m[1] === "") {
      // suffix: the last n bytes
      const n = Number(m[2]);
      if (n > 0 && size > 0) wanted.push({ start: Math.max(0, size - n), end: size });
      continue;
    }
    const first = Number(m[1]);
    const last = m[2] === "" ? Infinity : Number(m[2]);
    if (last < first) return { kind: "whole" };
    if (first < size) wanted.push({ start: first, end: Math.min(size, last + 1) });
  }
  if (wanted.length === 0) return { kind: "unsatisfiable", reason: `no range overlaps the ${size} bytes` };
  return { kind: "ranges", ranges: coalesce(wanted) };
}

function coalesce(ranges: ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [{ ...sorted[0] }];
  for (const r of sorted.slice(1)) {
    const last = out[out.length - 1];
    if (r.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}

interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

const TAG = /\s*(W\/)?"([^"]*)"\s*(?:,|$)/y;

/** The entity tags of an If-None-Match / If-Match list, "*" for any, or undefined when malformed. */
function entityTags(header: string): EntityTag[] | "*" | undefined {
  if (header.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  TAG.lastIndex = 0;
  while (TAG.lastIndex < header.length) {
    const at = TAG.lastIndex;
    const m = TAG.exec(header);
    if (!m) return header.slice(at).trim() === "" ? tags : undefined;
    tags.push({ weak: m[1] !== undefined, opaque: m[2] });
  }
  return tags;
}

/** If-None-Match (weak comparison, RFC 9110 §13.1.2): does the list name our tag? A malformed list names nothing. */
export function noneMatchHits(header: string | undefined, opaque: string): boolean {
  if (header === undefined) return false;
  const tags = entityTags(header);
  return tags === "*" || (tags !== undefined && tags.some((t) => t.opaque === opaque));
}

/** If-Match (strong comparison, §13.1.1): false when the header is present and names no strong copy of our tag. */
export function ifMatchHolds(header: string | undefined, opaque: string): boolean {
  if (header === undefined) return true;
  const tags = entityTags(header);
  return tags === "*" || (tags !== undefined && tags.some((t) => !t.weak && t.opaque === opaque));
}

/**
 * If-Range (§13.1.5): the Range applies only when the validator is our strong tag. A date
 * never matches (nothing here has a Last-Modified), nor a weak tag.
 */
export function ifRangeHolds(header: string | undefined, opaque: string): boolean {
  if (header === undefined) return true;
  return header.trim() === `"${opaque}"`;
}
