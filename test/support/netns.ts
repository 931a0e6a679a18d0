// Network namespaces for tests that need addresses loopback cannot give (public-looking
// IPs, separate hosts). Creating them needs root; callers skip with the reason otherwise.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const ip = (...args: string[]): string => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** Creates a namespace with its loopback up; returns why not if this process may not. */
export function addNamespace(name: string): string | undefined {
  try {
    ip("netns", "add", name);
  } catch (e) {
    return (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e);
  }
  ip("-n", name, "link", "set", "lo", "up");
  return undefined;
}

export function deleteNamespace(name: string): void {
  try {
    ip("netns", "del", name);
  } catch {
    // never created, or already gone
  }
}

/** A veth cable between two namespaces, `a` side addressed `aAddr` (CIDR), `b` side `bAddr`. */
export function linkNamespaces(a: string, aAddr: string, b: string, bAddr: string): void {
  ip("-n", a, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", b);
  ip("-n", a, "addr", "add", aAddr, "dev", "veth0");
  ip("-n", b, "addr", "add", bAddr, "dev", "veth1");
  ip("-n", a, "link", "set", "veth0", "up");
  ip("-n", b, "link", "set", "veth1", "up");
}

/** Starts a test/support script with tsx inside the namespace. */
export function spawnIn(ns: string, script: string, args: string[]): ChildProcess {
  return spawn("ip", ["netns", "exec", ns, process.execPath, "--import", "tsx", path.join(root, "test", "support", script), ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
}

/** The first JSON line the process prints; kills it by pid if none comes within `timeoutMs`. */
export function jsonLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no answer within ${timeoutMs} ms\n${err}${out}`));
    }, timeoutMs);
    child.stderr!.on("data", (d) => (err += d));
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch (e) {
        reject(new Error(`not JSON: ${line}: ${(e as Error).message}`));
      }
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code ?? signal} before answering\n${err}${out}`));
    });
  });
}

/** Ends a scenario process (closing its stdin asks it to stop) and waits for it. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("close", r));
  child.stdin!.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a scenario to its end: its JSON line, once it has exited cleanly (killed by pid after `timeoutMs`). */
export async function runToEnd<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  const facts = await jsonLine<T>(child, timeoutMs);
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`scenario exited with ${code} after answering`);
  return facts;
}

/** In a mocha hook: creates the namespace, or skips the suite saying why (namespaces need root). */
export function namespaceOrSkip(ctx: Mocha.Context, name: string): void {
  const why = addNamespace(name);
  if (!why) return;
  console.log(`      skipped: cannot create a network namespace: ${why}`);
  ctx.skip();
}
