import fs from "node:fs";

export interface ProcessMemory { peakMb: number; rssMb: number; anonMb: number; fileMb: number }

/** A process's memory from /proc: peak and current resident set, split into anonymous and file-backed pages. */
export function memoryOf(pid: number): ProcessMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  const mb = (k: number) => Math.round(k / 1024);
  return { peakMb: mb(kb("VmHWM")), rssMb: mb(kb("VmRSS")), anonMb: mb(kb("RssAnon")), fileMb: mb(kb("RssFile")) };
}
