/**
 * The media type a content is published with and served as (HTTP Content-Type), checked
 * the same way by the chain (MsgPublishContent) and by publishers before they sign.
 *
 * One spelling per value, so two publishers of the same type store the same bytes:
 * lower case, RFC 6838 restricted names for type and subtype, and at most one parameter,
 * written exactly `; charset=<name>` (RFC 2978 charset characters). No other parameters,
 * no quoting, no whitespace: the value goes into an HTTP header as it is.
 */

/** Longest media type the chain stores, in bytes. */
export const MAX_MEDIA_TYPE_BYTES = 127;

/** What HTTP serves a content published without a media type as. */
export const DEFAULT_MEDIA_TYPE = "application/octet-stream";

// RFC 6838 §4.2: restricted-name-first = ALPHA / DIGIT, then ALPHA / DIGIT / ! # $ & - ^ _ . +
const NAME = "[a-z0-9][a-z0-9!#$&\\-^_.+]*";
// RFC 2978 mime-charset-chars, lower case
const CHARSET = "[a-z0-9!#$%&'+\\-^_`{}~]+";
const MEDIA_TYPE = new RegExp(`^${NAME}/${NAME}(?:; charset=${CHARSET})?$`);

/** Why `mediaType` cannot be published, or undefined when it can (the empty string can: octet-stream). */
export function mediaTypeProblem(mediaType: string): string | undefined {
  if (mediaType === "") return undefined;
  const bytes = new TextEncoder().encode(mediaType).length;
  if (bytes > MAX_MEDIA_TYPE_BYTES) return `media type is ${bytes} bytes, at most ${MAX_MEDIA_TYPE_BYTES}`;
  if (!MEDIA_TYPE.test(mediaType)) {
    return `media type ${JSON.stringify(mediaType)} is not a lower-case type/subtype (RFC 6838) with an optional "; charset=<name>"`;
  }
  return undefined;
}

/** The Content-Type a stored media type is served as. */
export const servedMediaType = (mediaType: string): string => mediaType || DEFAULT_MEDIA_TYPE;
