import net from "node:net";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A base port from `from` on whose p2p/rpc/abci ports (base+10i, +1, +2) for n validators are all free. */
export async function freeBase(n: number, from = 30000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * 2500) * 10;
    const ports = Array.from({ length: n }, (_, i) => [base + 10 * i, base + 10 * i + 1, base + 10 * i + 2]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error("no free port range");
}

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
