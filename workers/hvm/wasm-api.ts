// The part of the WebAssembly JS API the sandbox uses, typed here because the project's tsconfig
// (lib ES2022, @types/node 20) declares no WebAssembly global.
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(deltaPages: number): number }
export interface WasmModule { readonly __brand: "WebAssembly.Module" }
export interface WasmInstance { readonly exports: Record<string, unknown> }
export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
