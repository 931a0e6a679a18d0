import { pino } from "pino";

/** Structured logger passed explicitly to every part that logs (no global logger). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** JSON lines on stderr (pino): one object per event, easy to grep and ship. */
export function createLogger(level: LogLevel = "info", name = "arod"): Logger {
  const p = pino({ name, level, base: { name } }, pino.destination(2));
  const wrap = (fn: "debug" | "info" | "warn" | "error") => (msg: string, fields?: Record<string, unknown>) =>
    fields ? p[fn](fields, msg) : p[fn](msg);
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
