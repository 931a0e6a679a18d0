import fs from "node:fs";
import path from "node:path";

/**
 * The processes a chain runs from its folder (every validator's), by their command lines:
 * cometbft is the consensus engine, simd is app and engine in one, arod (node) is the app.
 */
export function processesUnder(root: string): { app: number[]; consensus: number[] } {
  const app: number[] = [];
  const consensus: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      continue; // gone
    }
    if (!argv.some((a) => a.startsWith(root))) continue;
    const bin = path.basename(argv[0] ?? "");
    const pid = Number(entry);
    if (bin === "cometbft") consensus.push(pid);
    else if (bin === "simd") {
      app.push(pid);
      consensus.push(pid);
    } else if (bin === "node" || argv.some((a) => a.endsWith("arod.js"))) app.push(pid);
  }
  return { app, consensus };
}
