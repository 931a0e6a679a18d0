import { createRequire } from "node:module";

// wasm-metering works on wasm-json-toolkit's JSON form of a module; both are untyped CommonJS.
// The toolkit is loaded through wasm-metering's own resolution so both see the same opcode tables.
const require = createRequire(import.meta.url);
const meteringPath = require.resolve("wasm-metering");
const metering = require(meteringPath) as { meterJSON(json: ModuleJson, opts: MeterOptions): ModuleJson };
const toolkit = createRequire(meteringPath)("wasm-json-toolkit") as {
  wasm2json: ((wasm: Uint8Array) => ModuleJson) & { OPCODES: Record<number, string> };
  json2wasm: ((json: ModuleJson) => Uint8Array) & { OPCODES: Record<string, number> };
};

export interface Op { name: string; return_type?: string; immediates?: unknown }
export interface Limits { flags: number; intial: number; maximum?: number } // "intial" is the toolkit's spelling
export interface FuncType { form: "func"; params: string[]; return_type?: string }
export interface Import { moduleStr: string; fieldStr: string; kind: "function" | "table" | "memory" | "global"; type: unknown }
export interface Export { field_str: string; kind: Import["kind"]; index: number }
export interface Section { name: string; entries?: unknown[] }
export type ModuleJson = Section[];

export interface MeterOptions {
  meterType: "i32" | "i64";
  costTable: object;
  moduleStr?: string;
  fieldStr?: string;
}

// The toolkit knows only the MVP opcodes. Sign extension (0xc0..0xc4) is what toolchains emit by
// default since LLVM 16, and these opcodes have no immediates, so naming them is all it takes.
const SIGN_EXTENSION: Record<string, number> = {
  "i32.extend8_s": 0xc0, "i32.extend16_s": 0xc1, "i64.extend8_s": 0xc2, "i64.extend16_s": 0xc3, "i64.extend32_s": 0xc4,
};
for (const [name, code] of Object.entries(SIGN_EXTENSION)) {
  toolkit.wasm2json.OPCODES[code] = name;
  toolkit.json2wasm.OPCODES[name] = code;
}

export const wasm2json = (wasm: Uint8Array): ModuleJson => toolkit.wasm2json(Buffer.from(wasm.buffer, wasm.byteOffset, wasm.byteLength));
/** Encodes `json` (which the toolkit consumes: do not use it afterwards). */
export const json2wasm = (json: ModuleJson): Uint8Array => new Uint8Array(toolkit.json2wasm(json));
export const meterJSON = (json: ModuleJson, opts: MeterOptions): ModuleJson => metering.meterJSON(json, opts);

export function section<T>(json: ModuleJson, name: string): T[] | undefined {
  return json.find((s) => s.name === name)?.entries as T[] | undefined;
}
