import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { alive } from "../../app/testnet/control.ts";
import type { TestnetInfo } from "../../app/testnet/create.ts";
import { arodBin } from "../../app/testnet/local-node.ts";
import { freeBase } from "../../app/testnet/ports.ts";

export { freeBase };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CometBFT JSON-RPC result. */
export async function rpcJson(url: string): Promise<any> {
  return ((await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as any).result;
}

export const heightOf = async (rpc: string): Promise<number> => Number((await rpcJson(`${rpc}/status`)).sync_info.latest_block_height);

/** Polls until `fn` is true (errors count as not yet), or fails naming `what`. */
export async function until(what: string, fn: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      // not reachable yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * `arod testnet` (4 validators, blocks every 300 ms) run in the foreground as a user
 * would, on free ports, until it prints that it is running; `stop` ends it and any node
 * it left behind (those joined later too).
 */
export async function runTestnet(dir: string, o: { extra?: string[] } = {}): Promise<{ info: TestnetInfo; stop: () => Promise<void>; supervisor: ChildProcess }> {
  const base = await freeBase(4);
  const supervisor = spawn(process.execPath, [arodBin, "testnet", "--validators", "4", "--home", dir, "--base-port", String(base), "--timeout-commit", "300ms", ...(o.extra ?? [])], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  supervisor.stdout!.on("data", (d) => (out += d));
  supervisor.stderr!.on("data", (d) => (out += d));
  await until("the testnet to start", async () => out.includes("Press Ctrl-C"), 120_000).catch((e) => {
    throw new Error(`${e.message}\n${out}`);
  });
  const read = (): TestnetInfo => JSON.parse(fs.readFileSync(path.join(dir, "testnet.json"), "utf8"));
  const stop = async () => {
    if (alive(supervisor.pid)) {
      supervisor.kill("SIGTERM");
      await until("the supervisor to exit", async () => !alive(supervisor.pid), 30_000).catch(() => undefined);
    }
    for (const v of fs.existsSync(path.join(dir, "testnet.json")) ? read().validators : []) for (const pid of [v.pids.arod, v.pids.cometbft]) if (alive(pid)) process.kill(pid!, "SIGKILL");
  };
  return { info: read(), stop, supervisor };
}
