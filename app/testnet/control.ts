import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../common/repo-root.ts";
import { homePaths } from "../arod/node/home.ts";
import { writeTestnetInfo, type TestnetInfo, type ValidatorEntry } from "./create.ts";

const arodBin = path.join(repoRoot, "bin", "arod.js");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim()) || undefined : undefined;
}

function validator(info: TestnetInfo, index: number): ValidatorEntry {
  const v = info.validators[index];
  if (!v) throw new Error(`no validator ${index}: this network has validators 0..${info.validators.length - 1}`);
  return v;
}

/** Starts validator i as its own process group (arod, which runs its cometbft), logging to <home>/arod.log; `arodBin`: another build (an upgrade's). */
export async function startValidator(info: TestnetInfo, index: number, o: { arodBin?: string } = {}): Promise<void> {
  const v = validator(info, index);
  if (alive(v.pids.arod)) throw new Error(`validator ${index} is already running (pid ${v.pids.arod})`);
  const p = homePaths(v.home);
  fs.rmSync(p.cometPidFile, { force: true });
  const log = fs.openSync(path.join(v.home, "arod.log"), "a");
  const child = spawn(process.execPath, [o.arodBin ?? arodBin, "start", "--home", v.home], { stdio: ["ignore", log, log], detached: true });
  fs.closeSync(log);
  child.unref();
  const deadline = Date.now() + 30_000;
  while (!readPid(p.cometPidFile)) {
    if (!alive(child.pid)) throw new Error(`validator ${index} exited at start (${path.join(v.home, "arod.log")}):\n${logTail(v.home)}`);
    if (Date.now() > deadline) throw new Error(`validator ${index} did not start cometbft within 30s: see ${path.join(v.home, "arod.log")}`);
    await sleep(100);
  }
  v.pids = { arod: child.pid, cometbft: readPid(p.cometPidFile) };
  writeTestnetInfo(info);
}

function logTail(home: string, lines = 12): string {
  const file = path.join(home, "arod.log");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "(no log)";
}

async function waitGone(pids: Array<number | undefined>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Graceful stop: SIGTERM to arod, which stops its cometbft. */
export async function stopValidator(info: TestnetInfo, index: number): Promise<void> {
  const v = validator(info, index);
  if (alive(v.pids.arod)) process.kill(v.pids.arod!, "SIGTERM");
  if (!(await waitGone([v.pids.arod, v.pids.cometbft], 15_000))) await killValidator(info, index);
  v.pids = {};
  writeTestnetInfo(info);
}

/** Crash: SIGKILL to both processes of validator i. */
export async function killValidator(info: TestnetInfo, index: number): Promise<void> {
  const v = validator(info, index);
  for (const pid of [v.pids.arod, v.pids.cometbft]) if (alive(pid)) process.kill(pid!, "SIGKILL");
  await waitGone([v.pids.arod, v.pids.cometbft], 10_000);
  v.pids = {};
  writeTestnetInfo(info);
}

export async function stopAll(info: TestnetInfo): Promise<void> {
  await Promise.all(info.validators.map((v) => (alive(v.pids.arod) || alive(v.pids.cometbft) ? stopValidator(info, v.index) : undefined)));
}

export interface ValidatorStatus {
  readonly index: number;
  readonly moniker: string;
  readonly running: boolean;
  readonly height?: number;
  readonly appHash?: string;
  readonly catchingUp?: boolean;
}

export async function status(info: TestnetInfo): Promise<ValidatorStatus[]> {
  return Promise.all(info.validators.map(async (v) => {
    const running = alive(v.pids.arod);
    try {
      const r = (await (await fetch(`${v.rpc}/status`)).json()) as any;
      const s = r.result.sync_info;
      return { index: v.index, moniker: v.moniker, running, height: Number(s.latest_block_height), appHash: s.latest_app_hash, catchingUp: s.catching_up };
    } catch {
      return { index: v.index, moniker: v.moniker, running };
    }
  }));
}
