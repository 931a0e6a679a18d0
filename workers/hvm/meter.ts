import { JobRefused } from "./types.ts";
import { Wasm } from "./wasm-api.ts";
import { wabt } from "./wat.ts";
import { json2wasm, meterJSON, section, wasm2json, type Export, type FuncType, type Import, type Limits, type ModuleJson, type Op } from "./wasm-json.ts";

export const PAGE_BYTES = 65_536;
const MAX_PAGES = 65_536; // 4 GiB, wasm32's whole address space
const MAX_TABLE_ELEMENTS = 65_536;
export const WASI_MODULE = "wasi_snapshot_preview1";
/** Imports the instrumented module adds; the worker provides them. */
export const HOST = { module: "hvm", gas: "usegas", grow: "memory_grow" } as const;

/** One gas unit per wasm instruction (wasm-metering reads op costs from `code.code`, by op name). */
const COST_TABLE = { code: { code: { DEFAULT: 1 } } };

// What wasm-json-toolkit 0.2.3 (under wasm-metering) can read. wabt, and every current toolchain,
// emit post-MVP encodings by default: 0xfc-prefixed ops (saturating truncation, bulk memory) make
// the toolkit throw, and multi-value types or block types given by type index are misread without
// any error. So modules are refused unless wabt reads them with only these features, and the
// toolkit must then re-encode wabt's canonical form byte for byte (nothing it did not understand).
const FEATURES = {
  mutable_globals: true, sign_extension: true, sat_float_to_int: false, bulk_memory: false, multi_value: false,
  reference_types: false, simd: false, threads: false, tail_call: false, exceptions: false, function_references: false,
  gc: false, memory64: false, extended_const: false, relaxed_simd: false, annotations: false, code_metadata: false,
};

/** How far the module's memory may grow: past `maxPages`, `memory.grow` fails (-1) or, if `jobLimit`, the job ends with `memory_limit`. */
export interface MemoryCap { maxPages: number; jobLimit: boolean }
export interface MeteredModule { wasm: Uint8Array; memory: MemoryCap }

/**
 * Instruments a WASI command module: every basic block first calls `hvm.usegas(cost)` (i32),
 * every `memory.grow` becomes a call to `hvm.memory_grow`, and the memory's declared maximum is
 * lowered to the job's limit. Throws `JobRefused` for anything that cannot run deterministically.
 */
export async function meter(wasm: Uint8Array, maxMemoryBytes: bigint): Promise<MeteredModule> {
  if (!Wasm.validate(wasm)) throw new JobRefused(`not a valid WebAssembly module: ${compileError(wasm)}`);
  const canonical = await canonicalize(wasm);
  const probe = json2wasm(wasm2json(canonical));
  if (Buffer.compare(Buffer.from(probe), Buffer.from(canonical)) !== 0) throw new JobRefused("module uses an encoding the wasm metering toolkit cannot read faithfully");

  const json = wasm2json(canonical);
  checkInterface(json);
  const memory = capMemory(json, maxMemoryBytes);
  routeMemoryGrow(json);
  meterJSON(json, { meterType: "i32", costTable: COST_TABLE, moduleStr: HOST.module, fieldStr: HOST.gas });
  const out = json2wasm(json);
  if (!Wasm.validate(out)) throw new Error("hvm: metering produced an invalid module");
  return { wasm: out, memory };
}

function compileError(wasm: Uint8Array): string {
  try {
    new Wasm.Module(wasm);
    return "rejected by the validator";
  } catch (e) {
    return (e as Error).message;
  }
}

async function canonicalize(wasm: Uint8Array): Promise<Uint8Array> {
  let module;
  try {
    module = (await wabt()).readWasm(wasm, { readDebugNames: false, check: true, ...FEATURES });
    module.validate();
    return module.toBinary({}).buffer;
  } catch (e) {
    const detail = (e as Error).message.replace(/\s+/g, " ").trim();
    throw new JobRefused(`module uses a WebAssembly feature the sandbox does not meter (supported: MVP, sign extension, mutable globals): ${detail}`);
  } finally {
    module?.destroy();
  }
}

/** A WASI command: imports only WASI functions, exports `_start` and `memory`. */
function checkInterface(json: ModuleJson): void {
  for (const i of section<Import>(json, "import") ?? []) {
    if (i.moduleStr !== WASI_MODULE || i.kind !== "function") throw new JobRefused(`module imports ${i.kind} ${i.moduleStr}.${i.fieldStr}; a job may import only ${WASI_MODULE} functions`);
  }
  const exports = section<Export>(json, "export") ?? [];
  if (!exports.some((e) => e.field_str === "_start" && e.kind === "function") || !exports.some((e) => e.field_str === "memory" && e.kind === "memory")) {
    throw new JobRefused("module must export a `_start` function and its `memory` (a WASI command)");
  }
  if (json.some((s) => s.name === "start")) throw new JobRefused("module has a start function; a WASI command starts at `_start`");
  for (const t of section<{ limits: Limits }>(json, "table") ?? []) {
    if (t.limits.intial > MAX_TABLE_ELEMENTS) throw new JobRefused(`table of ${t.limits.intial} elements (at most ${MAX_TABLE_ELEMENTS})`);
  }
}

function capMemory(json: ModuleJson, maxMemoryBytes: bigint): MemoryCap {
  const memories = section<Limits>(json, "memory") ?? [];
  if (memories.length !== 1) throw new JobRefused(`module defines ${memories.length} memories, a job needs exactly one`);
  const mem = memories[0];
  const pages = maxMemoryBytes / BigInt(PAGE_BYTES);
  const limitPages = pages < BigInt(MAX_PAGES) ? Number(pages) : MAX_PAGES;
  if (mem.intial > limitPages) {
    throw new JobRefused(`initial memory ${BigInt(mem.intial) * BigInt(PAGE_BYTES)} bytes exceeds the job's limit of ${maxMemoryBytes} bytes`);
  }
  if (mem.maximum !== undefined && mem.maximum <= limitPages) return { maxPages: mem.maximum, jobLimit: false };
  mem.maximum = limitPages; // the engine enforces it too, whatever the host function below does
  return { maxPages: limitPages, jobLimit: true };
}

/** Replaces every `memory.grow` with a call to `hvm.memory_grow` (same i32 -> i32 signature). */
function routeMemoryGrow(json: ModuleJson): void {
  const code = section<{ code: Op[] }>(json, "code") ?? [];
  if (!code.some((f) => f.code.some((op) => op.name === "grow_memory"))) return;
  // With an all-zero cost table meterJSON inserts no charges: it only appends the import (type
  // `(param i32)`) and shifts every function index after it, which is the part worth reusing.
  meterJSON(json, { meterType: "i32", costTable: { code: {} }, moduleStr: HOST.module, fieldStr: HOST.grow });
  const imports = section<Import>(json, "import")!;
  const index = imports.filter((i) => i.kind === "function").length - 1;
  (section<FuncType>(json, "type")![imports[imports.length - 1].type as number]).return_type = "i32";
  for (const f of code) {
    f.code = f.code.map((op) => (op.name === "grow_memory" ? { name: "call", immediates: String(index) } : op));
  }
}
