import net from "node:net";

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Ports of validator i: p2p = base + 10i, rpc = +1, abci = +2, REST = +3, gRPC = +4, metrics = +5, console = +6 (all on 127.0.0.1). */
export function portsOf(basePort: number, i: number) {
  const b = basePort + 10 * i;
  return { p2p: b, rpc: b + 1, abci: b + 2, api: b + 3, grpc: b + 4, metrics: b + 5, console: b + 6 };
}

/** Whether nothing listens on 127.0.0.1:port right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Every port of validators 0..n-1 that something already listens on, named ("33003 (REST of validator 0)"). */
export async function busyPorts(basePort: number, n: number): Promise<string[]> {
  const names: Record<string, string> = { p2p: "p2p", rpc: "RPC", abci: "ABCI", api: "REST", grpc: "gRPC", metrics: "metrics", console: "console" };
  const all = Array.from({ length: n }, (_, i) => Object.entries(portsOf(basePort, i)).map(([role, port]) => ({ port, what: `${port} (${names[role]} of validator ${i})` }))).flat();
  const free = await Promise.all(all.map((p) => portFree(p.port)));
  return all.filter((_, k) => !free[k]).map((p) => p.what);
}

/**
 * The seven ports of one node (p2p, rpc, abci, REST, gRPC, metrics, console), distinct and
 * free, below the ephemeral range: picking each with freePort() can give the same port
 * twice, or one an outgoing connection takes before the node binds it.
 */
export async function nodePorts(): Promise<ReturnType<typeof portsOf>> {
  return portsOf(await freeBase(1), 0);
}

/**
 * A base port in [from, to) whose every port for n validators is free. The default range
 * lies below Linux's ephemeral ports (32768+), so an outgoing connection cannot take one
 * of them between this check and the nodes binding them.
 */
export async function freeBase(n: number, o: { from?: number; to?: number } = {}): Promise<number> {
  const from = o.from ?? 20000, to = o.to ?? 32700;
  const slots = Math.floor((to - from - 10 * n) / 10);
  if (slots < 1) throw new Error(`no room for ${n} validators in ports ${from}..${to}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * slots) * 10;
    if ((await busyPorts(base, n)).length === 0) return base;
  }
  throw new Error(`no free port range for ${n} validators in ${from}..${to}`);
}
