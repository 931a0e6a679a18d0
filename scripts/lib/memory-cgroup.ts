import fs from "node:fs";
import path from "node:path";

/**
 * A memory cgroup with a hard limit, as systemd's MemoryMax= gives a validator's service:
 * the kernel reclaims page cache (LMDB's mapped pages) to stay under it and kills the
 * process if its anonymous memory alone does not fit. Benchmarks run arod in one to show
 * that it works within a budget. cgroup v1 (memory controller) or v2 (memory.max).
 */
export class MemoryCgroup {
  private constructor(private readonly dir: string, private readonly v2: boolean, readonly limitMb: number) {}

  /** A new cgroup limited to `limitMb`; throws with the reason if this machine gives none. */
  static create(limitMb: number, name = `aro-bench-${process.pid}`): MemoryCgroup {
    const v1 = "/sys/fs/cgroup/memory";
    const bytes = String(limitMb * 1024 * 1024);
    if (fs.existsSync(path.join(v1, "memory.limit_in_bytes"))) {
      const dir = path.join(v1, name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "memory.limit_in_bytes"), bytes);
      return new MemoryCgroup(dir, false, limitMb);
    }
    const controllers = "/sys/fs/cgroup/cgroup.controllers";
    if (fs.existsSync(controllers) && fs.readFileSync(controllers, "utf8").split(/\s+/).includes("memory")) {
      const dir = path.join("/sys/fs/cgroup", name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "memory.max"), bytes);
      return new MemoryCgroup(dir, true, limitMb);
    }
    throw new Error("no writable memory cgroup (v1 /sys/fs/cgroup/memory or v2 with the memory controller) on this machine");
  }

  /** Moves a process in; the processes it starts later are in it too. */
  add(pid: number): void {
    fs.writeFileSync(path.join(this.dir, "cgroup.procs"), String(pid));
  }

  /** Moves a process back to the root cgroup (e.g. a child that should not count). */
  release(pid: number): void {
    fs.writeFileSync(path.join(path.dirname(this.dir), "cgroup.procs"), String(pid));
  }

  /** Peak usage (anonymous and page cache) and how often the kernel killed for lack of memory. */
  stats(): { peakMb: number; oomKills: number; limitHits: number } {
    const read = (f: string) => fs.readFileSync(path.join(this.dir, f), "utf8");
    const mb = (b: string) => Math.round(Number(b.trim()) / 1048576);
    if (this.v2) {
      const events = read("memory.events");
      const field = (k: string) => Number(new RegExp(`^${k} (\\d+)`, "m").exec(events)?.[1] ?? 0);
      const peak = fs.existsSync(path.join(this.dir, "memory.peak")) ? mb(read("memory.peak")) : -1;
      return { peakMb: peak, oomKills: field("oom_kill"), limitHits: field("max") };
    }
    const oom = Number(/^oom_kill (\d+)/m.exec(read("memory.oom_control"))?.[1] ?? 0);
    return { peakMb: mb(read("memory.max_usage_in_bytes")), oomKills: oom, limitHits: Number(read("memory.failcnt").trim()) };
  }

  /** Removes the cgroup (its processes must have ended). */
  remove(): void {
    try {
      fs.rmdirSync(this.dir);
    } catch {
      // a process still in it: the kernel keeps the cgroup until it ends
    }
  }
}
