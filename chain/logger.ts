import { pino } from "pino";

/** Structured logger passed explicitly to every part that logs (no global logger). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** The Cosmos SDK's `log_format`: JSON lines (the default) or human-readable lines. */
export type LogFormat = "json" | "plain";
export const LOG_FORMATS: readonly LogFormat[] = ["json", "plain"];

/**
 * Logs on stderr through pino: one JSON object per event (easy to grep and ship), or with
 * `format` "plain" the same event as one readable line (plainLogLine). `write` replaces
 * stderr (tests).
 */
export function createLogger(level: LogLevel = "info", name = "arod", format: LogFormat = "json", write?: (line: string) => void): Logger {
  const out = write ? { write } : pino.destination(2);
  const dest = format === "plain" ? { write: (line: string) => void out.write(plainLogLine(line)) } : out;
  const p = pino({ name, level, base: { name } }, dest);
  const wrap = (fn: "debug" | "info" | "warn" | "error") => (msg: string, fields?: Record<string, unknown>) =>
    fields ? p[fn](fields, msg) : p[fn](msg);
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}

const LEVELS: Record<number, string> = { 10: "TRC", 20: "DBG", 30: "INF", 40: "WRN", 50: "ERR", 60: "FTL" };

/**
 * One pino JSON line as `2025-01-02T03:04:05.678Z INF [arod] message key=value …` (the
 * SDK's plain format, with the full UTC time): values with spaces, quotes or `=`, and
 * every non-string, as JSON, so an event stays one line. A line that is not pino's JSON
 * is passed through.
 */
export function plainLogLine(json: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  if (event === null || typeof event !== "object" || Array.isArray(event)) return json;
  const { level, time, name, msg, ...fields } = event;
  const when = typeof time === "number" && Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : String(time ?? "-");
  const parts = [when, LEVELS[level as number] ?? String(level), ...(name ? [`[${String(name)}]`] : []), String(msg ?? "")];
  for (const [k, v] of Object.entries(fields)) parts.push(`${k}=${typeof v === "string" && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`);
  return parts.join(" ") + "\n";
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
