// The serving side of scripts/bench-dts.ts: the same content behind a raw TCP server (from
// memory), PeerDTS over HTTP and over libp2p (from the verifying Blockstore), and throttled
// nodes. Forked by the bench as its own process (server and client each get a core), or
// used in-process with --same-process. As a forked child it answers {id, method, args}
// messages with {id, ok, result | error}.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Blockstore } from "../../client/content/blockstore.ts";
import { chunkContent } from "../../client/content/chunks.ts";
import { startDtsHttp } from "../../workers/dts/http-server.ts";
import { serveDtsOverLibp2p } from "../../workers/dts/p2p-server.ts";
import { DtsService } from "../../workers/dts/service.ts";
import { createAroHost } from "../../workers/p2p/host.ts";

export interface ThroughputSetup {
  roots: string[];
  rawPort: number;
  httpUrl: string;
  /** the same store with its chunk cache off: every chunk read from disk and re-hashed */
  coldHttpUrl: string;
  /** node:http answering GET /<index> with the object from memory (no PeerDTS): the HTTP stack's own ceiling */
  plainHttpUrl: string;
  libp2pAddrs: string[];
}

export interface ThrottledSetup {
  root: string;
  httpUrls: string[];
  libp2pAddrs: string[][];
}


/** node:http alone: GET /<index> answered with the object from memory in one `end()`. */
async function startPlainHttp(objects: readonly Buffer[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const body = objects[Number(req.url?.slice(1))];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Raw loopback baseline: request = u32 object index, answer = u32 length + the bytes, from memory. */
async function startRawServer(objects: readonly Buffer[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => undefined);
    sock.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= 4) {
        const body = objects[pending.readUInt32BE(0)];
        pending = pending.subarray(4);
        if (!body) return void sock.destroy();
        const header = Buffer.alloc(4);
        header.writeUInt32BE(body.length);
        sock.cork();
        sock.write(header);
        sock.write(body);
        sock.uncork();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

export class BenchServer {
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(private readonly dir: string) {}

  /** `objects` random objects of `size` bytes, served four ways. */
  async throughput(o: { objects: number; size: number; chunkSize: number }): Promise<ThroughputSetup> {
    const storeDir = path.join(this.dir, "server-throughput");
    const store = new Blockstore(storeDir);
    const objects: Buffer[] = [];
    const roots: string[] = [];
    for (let i = 0; i < o.objects; i++) {
      const data = randomBytes(o.size);
      const { content, chunks } = chunkContent(data, o.chunkSize);
      store.put(content, chunks);
      objects.push(data);
      roots.push(content.root);
    }
    const raw = await startRawServer(objects);
    this.closers.push(raw.close);
    const plain = await startPlainHttp(objects);
    this.closers.push(plain.close);
    const service = new DtsService(store);
    const http = await startDtsHttp(service);
    this.closers.push(http.close);
    const coldHttp = await startDtsHttp(new DtsService(new Blockstore(storeDir, { chunkCacheBytes: 0 })));
    this.closers.push(coldHttp.close);
    const host = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    this.closers.push(async () => await host.stop());
    await serveDtsOverLibp2p(host, service);
    return { roots, rawPort: raw.port, httpUrl: http.url, coldHttpUrl: coldHttp.url, plainHttpUrl: plain.url, libp2pAddrs: host.getMultiaddrs().map(String) };
  }

  /** `sources` nodes holding the same `size`-byte object, each held to `bytesPerSec`. */
  async throttled(o: { size: number; chunkSize: number; sources: number; bytesPerSec: number; libp2p: boolean }): Promise<ThrottledSetup> {
    const { content, chunks } = chunkContent(randomBytes(o.size), o.chunkSize);
    const httpUrls: string[] = [];
    const libp2pAddrs: string[][] = [];
    for (let i = 0; i < o.sources; i++) {
      const store = new Blockstore(path.join(this.dir, `server-throttled-${i}`));
      store.put(content, chunks);
      const service = new DtsService(store, { faults: { bandwidthBytesPerSec: o.bytesPerSec } });
      const http = await startDtsHttp(service);
      this.closers.push(http.close);
      httpUrls.push(http.url);
      if (o.libp2p) {
        const host = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
        this.closers.push(async () => await host.stop());
        await serveDtsOverLibp2p(host, service);
        libp2pAddrs.push(host.getMultiaddrs().map(String));
      }
    }
    return { root: content.root, httpUrls, libp2pAddrs };
  }

  /** CPU time of this process so far (user + system). */
  stats(): { cpuMs: number } {
    const u = process.cpuUsage();
    return { cpuMs: (u.user + u.system) / 1000 };
  }

  async stop(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
  }
}

export type BenchServerApi = Pick<BenchServer, "throughput" | "throttled" | "stats" | "stop">;
type Call = { id: number; method: keyof BenchServerApi; args: unknown[] };

// Forked: serve the API over IPC until told to stop or the parent goes away.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = new BenchServer(process.argv[2]);
  const quit = () => void server.stop().finally(() => process.exit(0));
  process.on("disconnect", quit);
  process.on("message", (m: Call) => {
    const run = async () => (server[m.method] as (...a: unknown[]) => unknown).apply(server, m.args);
    run().then(
      (result) => process.send!({ id: m.id, ok: true, result }, () => m.method === "stop" && process.exit(0)),
      (err) => process.send!({ id: m.id, ok: false, error: (err as Error)?.stack ?? String(err) }),
    );
  });
}
