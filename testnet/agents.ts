import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { initAgentHome } from "../node-agent/init.ts";
import { setTomlValue } from "../chain/node/toml-edit.ts";
import { agentPaths } from "../node-agent/home.ts";
import { alive } from "./control.ts";
import { repoRoot } from "./local-node.ts";
import { freePort } from "./ports.ts";

export const agentBin = path.join(repoRoot, "bin", "aro-agent.js");

export interface AgentEntry {
  readonly name: string;
  readonly home: string;
  readonly operator: string;
  readonly peerId: string;
  readonly role: "node" | "keeper";
  readonly ports: { p2p: number; ws: number; dts: number; metrics: number; routing: number };
  readonly metricsUrl: string;
  readonly dtsUrl: string;
  pid?: number;
}

export interface AgentSetup {
  name: string;
  role: "node" | "keeper";
  /** config.toml edits: [section ("" for top level), key, value] */
  edits?: ReadonlyArray<[string, string, string | number | boolean | string[]]>;
}

/** Creates an agent home on 127.0.0.1 with free ports (keyring "test": local networks only). */
export async function initAgent(dir: string, chainRpc: string, chainId: string, s: AgentSetup): Promise<AgentEntry> {
  const home = path.join(dir, s.name);
  const ports = { p2p: await freePort(), ws: await freePort(), dts: await freePort(), metrics: await freePort(), routing: await freePort() };
  const r = await initAgentHome({ home, chainRpc, chainId, region: "europe", keyringBackend: "test", ports });
  const edits: Array<[string, string, string | number | boolean | string[]]> = [["log", "level", "info"], ["routing", "report_every_seconds", 1], ...(s.edits ?? [])];
  // a keeper-only agent offers no node services: it probes and attests
  if (s.role === "keeper") edits.push(["node", "services", []], ["keeper", "enabled", true], ["keeper", "probes_per_epoch", 2]);
  editConfig(home, edits);
  return { name: s.name, home, operator: r.operator, peerId: r.peerId, role: s.role, ports, metricsUrl: `http://127.0.0.1:${ports.metrics}`, dtsUrl: `http://127.0.0.1:${ports.dts}` };
}

export function editConfig(home: string, edits: ReadonlyArray<[string, string, string | number | boolean | string[]]>): void {
  const file = agentPaths(home).config;
  let text = fs.readFileSync(file, "utf8");
  for (const [section, key, value] of edits) text = setTomlValue(text, section, key, value);
  fs.writeFileSync(file, text);
}

/** Starts an agent as its own process (logs in <home>/agent.log) and waits until it answers /status. */
export async function startAgent(a: AgentEntry, extraArgs: string[] = [], timeoutMs = 60_000): Promise<Record<string, unknown>> {
  if (alive(a.pid)) throw new Error(`${a.name} is already running (pid ${a.pid})`);
  const log = fs.openSync(path.join(a.home, "agent.log"), "a");
  const child = spawn(process.execPath, [agentBin, "start", "--home", a.home, ...extraArgs], { stdio: ["ignore", log, log], detached: true });
  fs.closeSync(log);
  child.unref();
  a.pid = child.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive(child.pid)) throw new Error(`${a.name} exited at start:\n${tail(a)}`);
    try {
      const res = await fetch(`${a.metricsUrl}/status`);
      if (res.ok) return (await res.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${a.name} did not come up within ${timeoutMs} ms:\n${tail(a)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
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
