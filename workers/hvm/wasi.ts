import { WASI } from "node:wasi";
import { Gas, JobStop } from "./gas.ts";
import { SeededRandom } from "./random.ts";
import type { WasmInstance, WasmMemory } from "./wasm-api.ts";

const ERRNO = { SUCCESS: 0, BADF: 8, FAULT: 21, INVAL: 28, NOSYS: 52, NOTSUP: 58, SPIPE: 70 } as const;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
// node:wasi's own versions are deterministic for what a job is given (one arg, no env) or needed for proc_exit.
const FROM_NODE = new Set(["args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "proc_exit"]);

type HostFn = (...args: never[]) => number;

/**
 * WASI preview1 for a job: stdin is the input, stdout the output, and nothing reads the host.
 * Node's WASI would pass fds 0-2 through to the worker's real stdio, whose kind (tty, pipe) and
 * content differ between nodes, and its clocks, random and proc_raise are the host's; so every
 * fd, path, socket, clock and random call is answered here, the rest return ENOSYS.
 */
export class JobWasi {
  private readonly wasi = new WASI({ version: "preview1", args: ["job"], env: {}, returnOnExit: true });
  private readonly random: SeededRandom;
  private readonly chunks: Uint8Array[] = [];
  private outputBytes = 0;
  private readPos = 0;
  private memory?: WasmMemory;

  constructor(private readonly input: Uint8Array, private readonly maxOutputBytes: bigint, private readonly gas: Gas) {
    this.random = new SeededRandom(input);
  }

  get imports(): Record<string, HostFn> {
    const own: Record<string, HostFn> = {
      fd_read: this.fdRead, fd_write: this.fdWrite, fd_fdstat_get: this.fdFdstatGet, fd_filestat_get: this.fdFilestatGet,
      fd_close: (fd: number) => (isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
      fd_seek: (fd: number) => (isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF),
      fd_tell: (fd: number) => (isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF),
      fd_prestat_get: () => ERRNO.BADF, // no preopened directories
      fd_prestat_dir_name: () => ERRNO.BADF,
      clock_time_get: this.clockTimeGet, clock_res_get: this.clockResGet, random_get: this.randomGet,
      poll_oneoff: () => ERRNO.NOTSUP, // would sleep on the wall clock
      proc_raise: () => ERRNO.NOTSUP, // would signal the node's own process
      sched_yield: () => ERRNO.SUCCESS,
    };
    const node = this.wasi.wasiImport as Record<string, HostFn>;
    const imports: Record<string, HostFn> = {};
    for (const name of Object.keys(node)) {
      if (own[name]) imports[name] = own[name];
      else if (FROM_NODE.has(name)) imports[name] = node[name];
      else if (/^(fd|path|sock)_/.test(name)) imports[name] = (fd: number) => (isStdio(fd) ? ERRNO.NOTSUP : ERRNO.BADF);
      else imports[name] = () => ERRNO.NOSYS;
    }
    return imports;
  }

  /** Runs `_start`; returns the exit code. */
  start(instance: WasmInstance): number {
    this.memory = instance.exports.memory as WasmMemory;
    return this.wasi.start(instance) ?? 0;
  }

  output(): Uint8Array {
    return Buffer.concat(this.chunks, this.outputBytes);
  }

  /** Guest memory, looked up on every call: growing it replaces the buffer. */
  private bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory!.buffer, ptr >>> 0, len >>> 0);
  }

  private view(): DataView {
    return new DataView(this.memory!.buffer);
  }

  /** A guest pointer outside its memory is EFAULT (deterministic: memory size is part of the computation). */
  private guarded(fn: () => number): number {
    try {
      return fn();
    } catch (e) {
      if (e instanceof RangeError) return ERRNO.FAULT;
      throw e;
    }
  }

  private iovecs(iovs: number, count: number): Array<[number, number]> {
    this.gas.use(count >>> 0);
    const view = this.view();
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count >>> 0; i++) out.push([view.getUint32((iovs >>> 0) + 8 * i, true), view.getUint32((iovs >>> 0) + 8 * i + 4, true)]);
    return out;
  }

  private readonly fdRead = (fd: number, iovs: number, count: number, nread: number): number => {
    if (fd !== 0) return ERRNO.BADF;
    return this.guarded(() => {
      let total = 0;
      for (const [ptr, len] of this.iovecs(iovs, count)) {
        const n = Math.min(len, this.input.length - this.readPos);
        this.gas.use(n);
        this.bytes(ptr, n).set(this.input.subarray(this.readPos, this.readPos + n));
        this.readPos += n;
        total += n;
        if (n < len) break;
      }
      this.view().setUint32(nread >>> 0, total, true);
      return ERRNO.SUCCESS;
    });
  };

  private readonly fdWrite = (fd: number, iovs: number, count: number, nwritten: number): number => {
    if (fd !== 1 && fd !== 2) return ERRNO.BADF;
    return this.guarded(() => {
      const parts = this.iovecs(iovs, count).map(([ptr, len]) => this.bytes(ptr, len));
      const total = parts.reduce((s, p) => s + p.length, 0);
      this.gas.use(total);
      if (fd === 1) {
        if (BigInt(this.outputBytes + total) > this.maxOutputBytes) {
          throw new JobStop("output_limit", `output exceeds the job's limit of ${this.maxOutputBytes} bytes`);
        }
        for (const p of parts) this.chunks.push(p.slice());
        this.outputBytes += total;
      } // stderr is charged for and dropped
      this.view().setUint32(nwritten >>> 0, total, true);
      return ERRNO.SUCCESS;
    });
  };

  /** stdio looks like a pipe (filetype unknown): not a tty, not seekable, so libc buffers it fully. */
  private readonly fdFdstatGet = (fd: number, ptr: number): number => {
    if (!isStdio(fd)) return ERRNO.BADF;
    return this.guarded(() => {
      this.bytes(ptr, 24).fill(0);
      this.view().setBigUint64((ptr >>> 0) + 8, fd === 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE, true);
      return ERRNO.SUCCESS;
    });
  };

  private readonly fdFilestatGet = (fd: number, ptr: number): number => {
    if (!isStdio(fd)) return ERRNO.BADF;
    return this.guarded(() => {
      this.bytes(ptr, 64).fill(0);
      return ERRNO.SUCCESS;
    });
  };

  /** Every clock reads 0: time is not part of a job's input. */
  private readonly clockTimeGet = (id: number, _precision: bigint, ptr: number): number => {
    if (id >>> 0 > 3) return ERRNO.INVAL;
    return this.guarded(() => (this.view().setBigUint64(ptr >>> 0, 0n, true), ERRNO.SUCCESS));
  };

  private readonly clockResGet = (id: number, ptr: number): number => {
    if (id >>> 0 > 3) return ERRNO.INVAL;
    return this.guarded(() => (this.view().setBigUint64(ptr >>> 0, 0n, true), ERRNO.SUCCESS));
  };

  private readonly randomGet = (ptr: number, len: number): number => {
    this.gas.use(len >>> 0);
    return this.guarded(() => (this.random.fill(this.bytes(ptr, len)), ERRNO.SUCCESS));
  };
}

function isStdio(fd: number): boolean {
  return fd >= 0 && fd <= 2;
}
