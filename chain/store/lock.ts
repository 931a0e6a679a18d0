import fs from "node:fs";
import path from "node:path";

/**
 * One process writes a state database at a time (LMDB itself would let two share it):
 * a LOCK file holds the owner's pid; one left by a process that is gone is taken over.
 */
export function takeLock(dir: string): string {
  const file = path.join(dir, "LOCK");
  try {
    const pid = Number(fs.readFileSync(file, "utf8"));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    if (alive) throw Object.assign(new Error(`${dir} is in use by process ${pid}`), { code: "STORE_LOCKED" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.writeFileSync(file, String(process.pid));
  return file;
}
