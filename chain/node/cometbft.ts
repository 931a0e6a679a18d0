import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The pinned CometBFT built by scripts/install-cometbft (or $AROD_COMETBFT). */
export function cometbftBinary(): string {
  const fromEnv = process.env.AROD_COMETBFT;
  if (fromEnv) return fromEnv;
  const local = path.join(repoRoot, ".bin", "cometbft");
  if (fs.existsSync(local)) return local;
  throw new Error(`CometBFT is not installed: run \`bash ${path.join(repoRoot, "scripts/install-cometbft")}\` first`);
}

/** Runs a cometbft subcommand to completion; throws with its output on failure. */
export function runCometbft(args: string[]): string {
  const r = spawnSync(cometbftBinary(), args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cometbft ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function startCometbft(home: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const child = spawn(cometbftBinary(), ["start", "--home", home], { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return child;
}
