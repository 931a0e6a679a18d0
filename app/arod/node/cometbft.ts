import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../../common/repo-root.ts";

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

/** util-linux's setpriv, to tie cometbft's life to arod's (absent on some systems). */
function setpriv(): string | undefined {
  return ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => fs.existsSync(p));
}

/**
 * Starts `cometbft start` for a home. Where setpriv exists, cometbft gets SIGKILL the
 * moment arod dies (even by kill -9), so no orphan keeps the node's ports and data
 * (a SIGTERM can leave it stuck waiting on the dead app; CometBFT is built to survive kill -9).
 */
export function startCometbft(home: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const guard = setpriv();
  const args = ["start", "--home", home];
  const child = guard
    ? spawn(guard, ["--pdeathsig", "KILL", "--", cometbftBinary(), ...args], { stdio: ["ignore", out, out] })
    : spawn(cometbftBinary(), args, { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return child;
}

/** A cometbft left running for this home by an arod that died without stopping it. */
export function leftoverCometbft(pidFile: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmd.includes("cometbft") ? pid : undefined;
  } catch {
    return undefined; // gone (or no /proc): nothing to stop
  }
}
