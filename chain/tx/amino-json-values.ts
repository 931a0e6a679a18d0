/**
 * Scalar values written as the Cosmos SDK's amino JSON encoder writes them (x/tx v0.13
 * signing/aminojson, Go's encoding/json), and read back (the client's fromAmino). All
 * integer arithmetic (bigint): no floats, no clock, no locale.
 */
export class AminoJsonError extends Error {}

const UNSAFE_FOR_HTML = /[<>&\u2028\u2029]/g;

/**
 * A JSON string as Go's json.Marshal writes it: JSON.stringify's escapes (Go ≥ 1.22 also
 * writes \b and \f) plus Go's HTML-safe \u003c \u003e \u0026 and \u2028 \u2029.
 */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(UNSAFE_FOR_HTML, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Bytes as Go's json.Marshal writes a []byte: standard base64 with padding. */
export const base64Json = (bytes: Uint8Array): string => `"${Buffer.from(bytes).toString("base64")}"`;

const DEC_PRECISION = 18;
/** math.LegacyDec's largest magnitude: 256 integer bits plus 60 for the 18 decimals. */
const MAX_DEC_BITS = 316;
const CANONICAL_INT = /^-?(0|[1-9]\d*)$/;

/**
 * A LegacyDec as the SDK prints it ("0.100000000000000000") from its protobuf form (the
 * integer scaled by 10^18, "100000000000000000"). Go parses that integer with base
 * prefixes ("010" is 8); anything but a plain canonical integer is refused here instead.
 */
export function legacyDecJson(wire: string): string {
  if (wire === "") return '"0"'; // the SDK writes an empty decimal as "0"
  if (!CANONICAL_INT.test(wire) || wire === "-0") throw new AminoJsonError(`decimal ${JSON.stringify(wire)} is not a canonical integer of 10^-18 units`);
  const neg = wire.startsWith("-");
  const digits = neg ? wire.slice(1) : wire;
  if (BigInt(digits).toString(2).length > MAX_DEC_BITS) throw new AminoJsonError(`decimal ${wire} is out of range`);
  const padded = digits.padStart(DEC_PRECISION + 1, "0");
  const point = padded.length - DEC_PRECISION;
  return `"${neg ? "-" : ""}${padded.slice(0, point)}.${padded.slice(point)}"`;
}

/** The inverse of legacyDecJson: "0.1" or "0.100000000000000000" to "100000000000000000", "0" to "". */
export function legacyDecFromJson(text: string): string {
  if (text === "0") return ""; // what legacyDecJson writes for an empty decimal
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text);
  if (!m) throw new AminoJsonError(`${JSON.stringify(text)} is not a decimal`);
  const units = BigInt(m[2] + (m[3] ?? "").padEnd(DEC_PRECISION, "0"));
  return (m[1] && units !== 0n ? -units : units).toString();
}

const NANOS = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400n;

/** Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: bigint): [bigint, bigint, bigint] {
  const z = days + 719_468n;
  const era = (z >= 0n ? z : z - 146_096n) / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1_460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  return [yoe + era * 400n + (month <= 2n ? 1n : 0n), month, day];
}

function daysFromCivil(year: bigint, month: bigint, day: bigint): bigint {
  const y = month <= 2n ? year - 1n : year;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const doy = (153n * (month > 2n ? month - 3n : month + 9n) + 2n) / 5n + day - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146_097n + doe - 719_468n;
}

const two = (n: bigint): string => n.toString().padStart(2, "0");

/**
 * A google.protobuf.Timestamp as Go's time.Format(RFC3339 or RFC3339Nano) in UTC, as the
 * SDK writes it: no fraction when nanos is 0, else trailing zeros trimmed. Years beyond
 * 0000..9999 are refused (Go would print them, but no such time is signed in practice).
 */
export function timestampJson(seconds: bigint, nanos: number): string {
  if (nanos < 0) throw new AminoJsonError(`nanos must be non-negative on timestamp (${seconds}s ${nanos}ns)`);
  const total = seconds * NANOS + BigInt(nanos); // time.Unix normalizes nanos beyond a second
  const secs = total >= 0n ? total / NANOS : -((-total + NANOS - 1n) / NANOS);
  const frac = total - secs * NANOS;
  const days = secs >= 0n ? secs / SECONDS_PER_DAY : -((-secs + SECONDS_PER_DAY - 1n) / SECONDS_PER_DAY);
  const sod = secs - days * SECONDS_PER_DAY;
  const [year, month, day] = civilFromDays(days);
  if (year < 0n || year > 9999n) throw new AminoJsonError(`timestamp year ${year} is outside 0000..9999`);
  const fraction = frac === 0n ? "" : "." + frac.toString().padStart(9, "0").replace(/0+$/, "");
  const time = `${two(sod / 3600n)}:${two((sod / 60n) % 60n)}:${two(sod % 60n)}`;
  return `"${year.toString().padStart(4, "0")}-${two(month)}-${two(day)}T${time}${fraction}Z"`;
}

/** The inverse of timestampJson (also offsets other than Z). */
export function timestampFromJson(text: string): { seconds: bigint; nanos: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) throw new AminoJsonError(`${JSON.stringify(text)} is not an RFC 3339 time`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(BigInt);
  if (month < 1n || month > 12n || day < 1n || day > 31n || hour > 23n || minute > 59n || second > 59n) {
    throw new AminoJsonError(`${JSON.stringify(text)} is not a valid time`);
  }
  const offset = m[8] ? (m[8] === "-" ? -1n : 1n) * (BigInt(m[9]) * 3600n + BigInt(m[10]) * 60n) : 0n;
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600n + minute * 60n + second - offset;
  return { seconds, nanos: Number((m[7] ?? "").padEnd(9, "0")) };
}

/** gogoproto's largest Duration: seconds whose nanoseconds still fit an int64, less one. */
const MAX_DURATION_SECONDS = (2n ** 63n - 1n) / NANOS - 1n;

/** A google.protobuf.Duration as the SDK writes it: total nanoseconds as an int64, quoted. */
export function durationJson(seconds: bigint, nanos: number): string {
  if (seconds > MAX_DURATION_SECONDS) throw new AminoJsonError(`${seconds} seconds would overflow an int64 when represented as nanoseconds`);
  return `"${BigInt.asIntN(64, BigInt(nanos) + seconds * NANOS)}"`;
}

/** The inverse of durationJson. */
export function durationFromJson(text: string): { seconds: bigint; nanos: number } {
  if (!CANONICAL_INT.test(text)) throw new AminoJsonError(`${JSON.stringify(text)} is not a duration in nanoseconds`);
  const total = BigInt(text);
  return { seconds: total / NANOS, nanos: Number(total % NANOS) };
}
