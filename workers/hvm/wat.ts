import wabtInit from "wabt";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let instance: Promise<Wabt> | undefined;

/** The wabt toolkit (a wasm build of the C++ one), loaded once per thread. */
export function wabt(): Promise<Wabt> {
  instance ??= wabtInit();
  return instance;
}

/** Compiles WebAssembly text to a binary module. */
export async function compileWat(source: string, filename = "job.wat"): Promise<Uint8Array> {
  const module = (await wabt()).parseWat(filename, source);
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
