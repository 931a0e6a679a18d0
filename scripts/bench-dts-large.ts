// PeerDTS at model sizes: one content of --size (default 1 GiB) held by --nodes nodes
// (default 4; HTTP and libp2p, in a forked process), downloaded with download() into a
// fresh Blockstore (every chunk checked with its audit path, written to disk) over HTTP
// and over libp2p. Prints, measured in the same run, what bounds a verifying client on
// this machine: the one-core sha256 and chunkHash rates, raw loopback TCP between two
// processes (the nodes' process sending, this one discarding), and how fast this machine
// backs memory it has not touched yet (a new file's page cache comes from it); then GB/s,
// the ratios, and the peak RSS of both sides. --prefault writes the client's data file
// once before the clock starts, so the download lands in page cache that is already
// backed (what a machine whose page cache has cycled gives).
// Run: bash scripts/bench-dts-large [--size 10g] [--nodes 4] [--transport http|libp2p|both] [--dir /dev/shm] [--prefault]
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createCipheriv, hash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { multiaddr } from "@multiformats/multiaddr";
import { chunkHash } from "../chain/proofs/chunk-tree.ts";
import { Blockstore } from "../client/content/blockstore.ts";
import { verifiedManifest } from "../client/content/manifest.ts";
import { download } from "../client/fetch/downloader.ts";
import { HttpChunkSource } from "../client/fetch/http-source.ts";
import { Libp2pChunkSource } from "../workers/dts/p2p-chunk-source.ts";
import { createAroHost } from "../workers/p2p/host.ts";

const { values: args } = parseArgs({ options: { dir: { type: "string", default: os.tmpdir() }, size: { type: "string", default: "1g" }, nodes: { type: "string", default: "4" }, transport: { type: "string", default: "both" }, serve: { type: "string" }, prefault: { type: "boolean", default: false } } });
const GiB = 1024 ** 3;
const CHUNK = 262_144;
const units: Record<string, number> = { k: 1024, m: 1024 ** 2, g: GiB };
const SIZE = Math.floor(parseFloat(args.size!) * (units[args.size!.slice(-1).toLowerCase()] ?? 1));
const NODES = Number(args.nodes);
const peakMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** The serving side: the content written once into a store, served by NODES HTTP servers and libp2p hosts. */
async function serve(dir: string): Promise<void> {
  const { startDtsHttp } = await import("../workers/dts/http-server.ts");
  const { serveDtsOverLibp2p } = await import("../workers/dts/p2p-server.ts");
  const { DtsService } = await import("../workers/dts/service.ts");
  const { ChunkHasher } = await import("../client/content/content-source.ts");
  const store = new Blockstore(path.join(dir, "server"));
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, 9), Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  const h = new ChunkHasher(CHUNK);
  for (let at = 0; at < SIZE; at += CHUNK) h.push(cipher.update(zeros.subarray(0, Math.min(CHUNK, SIZE - at))));
  const info = h.end();
  const again = createCipheriv("aes-128-ctr", Buffer.alloc(16, 9), Buffer.alloc(16));
  store.begin(info);
  for (let i = 0, at = 0; at < SIZE; i++, at += CHUNK) store.writeChunk(info.root, i, again.update(zeros.subarray(0, Math.min(CHUNK, SIZE - at))));
  store.finish(info.root);
  const urls: string[] = [];
  const addrs: string[] = [];
  for (let n = 0; n < NODES; n++) {
    const dts = new DtsService(store);
    urls.push((await startDtsHttp(dts)).url);
    const host = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    await serveDtsOverLibp2p(host, dts);
    addrs.push(host.getMultiaddrs()[0].toString());
  }
  // raw TCP: each connection gets 1 GiB from one reused 4 MiB buffer (the loopback ceiling, no HTTP, no files)
  const raw = net.createServer((sock) => {
    let sent = 0;
    const piece = Buffer.alloc(4 << 20, 1);
    const pump = () => {
      while (sent < GiB) {
        sent += piece.length;
        if (!sock.write(piece)) return void sock.once("drain", pump);
      }
      sock.end();
    };
    pump();
  });
  await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
  process.on("SIGTERM", () => process.exit(0)); // exits cleanly (a --cpu-prof is written)
  process.send!({ root: info.root, urls, addrs, rawPort: (raw.address() as net.AddressInfo).port });
}

/** How fast this file system takes 256 MiB written in 256 KiB pieces into a new file (the page cache's first-touch rate on a VM). */
function diskWrite(dir: string): number {
  const file = path.join(dir, "write-rate");
  const piece = Buffer.alloc(CHUNK, 1);
  const fd = fs.openSync(file, "w");
  const t0 = performance.now();
  for (let i = 0; i < 1024; i++) fs.writeSync(fd, piece);
  const rate = (1024 * CHUNK) / ((performance.now() - t0) / 1000);
  fs.closeSync(fd);
  fs.rmSync(file);
  return rate;
}

/** GB/s of raw loopback TCP from the nodes' process into this one (bytes discarded as they come). */
async function rawTcp(port: number): Promise<number> {
  const t0 = performance.now();
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    const c = net.connect(port, "127.0.0.1");
    c.on("data", (d) => void (got += d.length));
    c.on("end", resolve);
    c.on("error", reject);
  });
  return got / ((performance.now() - t0) / 1000);
}

/** How fast this machine backs memory no process has touched lately (256 MiB filled in a short-lived process, so this one's RSS is unchanged). */
function freshMemory(): number {
  const code = "const t=performance.now();Buffer.allocUnsafeSlow(256<<20).fill(1);console.log((256<<20)/((performance.now()-t)/1000))";
  return Number(spawnSync(process.execPath, ["-e", code], { encoding: "utf8" }).stdout.trim());
}

/** Writes the data file of a content begun in `store` once, so its page cache is backed before a download lands in it. */
function prefault(store: Blockstore, root: string): void {
  const fd = fs.openSync(store.dataPath(root), "r+");
  const zeros = Buffer.alloc(4 << 20);
  for (let at = 0; at < SIZE; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, SIZE - at), at);
  fs.closeSync(fd);
}

function ceiling(): { sha: number; chunk: number } {
  // 16 MiB hashed 16 times: the client's own peak RSS stays what download() needs
  const buf = Buffer.alloc(16 * 1024 * 1024, 7);
  const rate = (f: (b: Buffer) => void) => {
    const t0 = performance.now();
    for (let pass = 0; pass < 16; pass++) for (let off = 0; off < buf.length; off += CHUNK) f(buf.subarray(off, off + CHUNK));
    return (16 * buf.length) / ((performance.now() - t0) / 1000);
  };
  rate((b) => void hash("sha256", b));
  return { sha: rate((b) => void hash("sha256", b)), chunk: rate((b) => void chunkHash(b)) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(args.dir!, "aro-bench-large-"));
  let child: ChildProcess | undefined;
  try {
    const c = ceiling();
    const gb = (x: number) => (x / 1e9).toFixed(2);
    console.log(`one core: sha256 ${gb(c.sha)} GB/s, chunkHash (RFC 6962 over 4 KiB segments) ${gb(c.chunk)} GB/s; target 1 GB/s = ${(1e9 / c.sha).toFixed(2)}x of sha256`);
    console.log(`this file system (${args.dir}) takes new writes at ${gb(diskWrite(dir))} GB/s`);
    console.log(`writing ${(SIZE / GiB).toFixed(1)} GiB into the nodes' store...`);
    child = fork(fileURLToPath(import.meta.url), ["--serve", dir, "--dir", args.dir!, "--size", args.size!, "--nodes", String(NODES)], { execArgv: ["--import", "tsx", ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [])], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const setup = await new Promise<{ root: string; urls: string[]; addrs: string[]; rawPort: number }>((resolve, reject) => {
      child!.once("message", (m) => resolve(m as never));
      child!.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    // the better of two (the first may meet the nodes' process still settling after writing the content)
    const tcp = Math.max(await rawTcp(setup.rawPort), await rawTcp(setup.rawPort));
    const fresh = freshMemory();
    console.log(`raw loopback TCP between two processes: ${gb(tcp)} GB/s; memory not touched before: ${gb(fresh)} GB/s${args.prefault ? " (--prefault: the client's data file is written once before the clock starts)" : " (a download into a new file takes its page cache from it)"}`);
    const host = await createAroHost({ listen: ["/ip4/127.0.0.1/tcp/0"] });
    const results: Record<string, number> = {};
    for (const transport of args.transport === "both" ? ["http", "libp2p"] : [args.transport!]) {
      const sources = transport === "http" ? setup.urls.map((u, i) => new HttpChunkSource(u, `n${i}`)) : setup.addrs.map((a, i) => new Libp2pChunkSource(host, multiaddr(a), `n${i}`));
      const store = new Blockstore(path.join(dir, `client-${transport}`));
      if (args.prefault) {
        store.begin(verifiedManifest(setup.root, await sources[0].manifest(setup.root, AbortSignal.timeout(30_000))));
        prefault(store, setup.root);
      }
      const t0 = performance.now();
      await download({ root: setup.root, sources, store, perSource: Number(process.env.BENCH_PER_SOURCE ?? 4) });
      const s = (performance.now() - t0) / 1000;
      results[transport] = SIZE / s;
      console.log(`${transport.padEnd(6)} download() from ${NODES} nodes into a Blockstore: ${gb(SIZE / s)} GB/s (${(SIZE / s / c.sha).toFixed(2)}x sha256, ${(SIZE / s / tcp).toFixed(2)}x raw TCP, ${(SIZE / s / 1e9).toFixed(2)}x the 1 GB/s target), ${s.toFixed(1)} s`);
      await Promise.all(sources.map((x) => x.close()));
      store.remove(setup.root);
    }
    if (results.http && results.libp2p) console.log(`libp2p / HTTP: ${(results.libp2p / results.http).toFixed(2)} (target >= 0.5)`);
    console.log(`peak RSS: client ${peakMiB(process.pid).toFixed(0)} MiB, nodes' process ${peakMiB(child.pid!).toFixed(0)} MiB`);
    await host.stop();
  } finally {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      child.kill("SIGKILL");
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) await serve(args.serve);
else await main();
