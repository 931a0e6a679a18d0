import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { initAgentHome } from "../agent/init.ts";
import { setTomlValue } from "../common/toml-edit.ts";
import { agentPaths } from "../agent/home.ts";
import { alive } from "./control.ts";
import { repoRoot } from "./local-node.ts";

export const agentBin = path.join(repoRoot, "bin", "aro-agent.js");

/** What a running agent wrote to <home>/run.json: the addresses it really bound. */
export interface AgentRun {
  pid: number;
  nodeId?: string;
  metricsUrl: string;
  dtsUrl?: string;
  routingUrl?: string;
  multiaddrs: string[];
}

export interface AgentEntry {
  readonly name: string;
  readonly home: string;
  readonly operator: string;
  readonly peerId: string;
  readonly role: "node" | "watcher";
  pid?: number;
  /** set once started (every port is chosen by the OS at bind time: no races with other processes) */
  run?: AgentRun;
}

export type ConfigValue = string | number | boolean | string[];

export interface AgentSetup {
  name: string;
  role: "node" | "watcher";
  /** config.toml edits: [section ("" for top level), key, value] */
  edits?: ReadonlyArray<[string, string, ConfigValue]>;
}

/** Creates an agent home on 127.0.0.1 (keyring "test": local networks only); every port 0. */
export async function initAgent(dir: string, chainRpc: string, chainId: string, s: AgentSetup): Promise<AgentEntry> {
  const home = path.join(dir, s.name);
  const r = await initAgentHome({ home, chainRpc, chainId, region: "europe", keyringBackend: "test", ports: { p2p: 0, ws: 0, dts: 0, metrics: 0, routing: 0 } });
  const edits: Array<[string, string, ConfigValue]> = [["log", "level", "info"], ["routing", "report_every_seconds", 1], ...(s.edits ?? [])];
  // a watcher-only agent offers no node services: it probes and attests
  if (s.role === "watcher") edits.push(["node", "services", []], ["watcher", "enabled", true], ["watcher", "probes_per_epoch", 2]);
  editConfig(home, edits);
  return { name: s.name, home, operator: r.operator, peerId: r.peerId, role: s.role };
}

export function editConfig(home: string, edits: ReadonlyArray<[string, string, ConfigValue]>): void {
  const file = agentPaths(home).config;
  let text = fs.readFileSync(file, "utf8");
  for (const [section, key, value] of edits) text = setTomlValue(text, section, key, value);
  fs.writeFileSync(file, text);
}

/** Starts an agent as its own process (logs in <home>/agent.log) and waits until it is up; returns what it bound. */
export async function startAgent(a: AgentEntry, extraArgs: string[] = [], timeoutMs = 60_000): Promise<AgentRun> {
  if (alive(a.pid)) throw new Error(`${a.name} is already running (pid ${a.pid})`);
  const runFile = agentPaths(a.home).run;
  fs.rmSync(runFile, { force: true });
  const log = fs.openSync(path.join(a.home, "agent.log"), "a");
  const child = spawn(process.execPath, [agentBin, "start", "--home", a.home, ...extraArgs], { stdio: ["ignore", log, log], detached: true });
  fs.closeSync(log);
  child.unref();
  a.pid = child.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive(child.pid)) throw new Error(`${a.name} exited at start:\n${tail(a)}`);
    if (fs.existsSync(runFile)) {
      const run = JSON.parse(fs.readFileSync(runFile, "utf8")) as AgentRun;
      if (run.pid === child.pid) {
        a.run = run;
        return run;
      }
    }
    if (Date.now() > deadline) throw new Error(`${a.name} did not come up within ${timeoutMs} ms:\n${tail(a)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A started agent's metrics URL (throws if it was never started). */
export function metricsUrl(a: AgentEntry): string {
  if (!a.run) throw new Error(`${a.name} has not been started`);
  return a.run.metricsUrl;
}

/** The last lines of an agent's log (for error messages). */
export function tail(a: AgentEntry, lines = 20): string {
  const file = path.join(a.home, "agent.log");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n") : "(no log)";
}

export async function stopAgent(a: AgentEntry, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!alive(a.pid)) return;
  process.kill(a.pid!, signal);
  const deadline = Date.now() + 15_000;
  while (alive(a.pid)) {
    if (Date.now() > deadline) {
      process.kill(a.pid!, "SIGKILL");
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  a.pid = undefined;
}

/** Crash: SIGKILL, no chance to clean up. */
export const killAgent = (a: AgentEntry) => stopAgent(a, "SIGKILL");
