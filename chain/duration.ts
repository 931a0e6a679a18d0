import { sdkErrors } from "./errors.ts";

/** A protobuf Duration as the SDK writes it in genesis JSON: "1814400s" → 1814400n. */
export function parseDurationSeconds(text: unknown, what = "duration"): bigint {
  const m = /^(\d+)s$/.exec(String(text));
  if (!m) throw sdkErrors.invalidRequest.wrap(`${what} ${JSON.stringify(text)} must look like "600s"`);
  return BigInt(m[1]);
}
