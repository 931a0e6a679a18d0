// PeerDTS delivery, every ratio against a baseline measured in the same run:
//   1. throughput of 1 MiB objects fetched one after another: raw loopback TCP from memory
//      vs PeerDTS over HTTP (GET /content/<root>; with and without the client re-deriving the
//      root) vs PeerDTS over libp2p (download() into a Blockstore, every chunk verified);
//   2. one large object from 1 bandwidth-capped node vs from 4 (download(), HTTP and libp2p);
//   3. time to first byte of GET /content/<root> vs raw TCP;
//   4. where a MiB's time goes on the serving and verifying paths (explains 1).
// The servers run in a forked process (own core, own event loop), the client in this one;
// --same-process puts both in one event loop (the CPU cost of both ends, added up).
//   bash scripts/bench-dts [--objects 64] [--size 1MiB] [--chunk-size 256KiB] [--rounds 5]
//     [--sources 4] [--bandwidth 4MiB] [--big 16MiB] [--throttle-reps 3] [--skip-libp2p-throttled]
//     [--ttfb-requests 200] [--same-process]
import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { multiaddr } from "@multiformats/multiaddr";
import { getGlobalDispatcher } from "undici";
import { chunkHash, verifyChunk } from "../chain/proofs/chunk-tree.ts";
import { SEGMENT_SIZE } from "../chain/proofs/segments.ts";
import { Blockstore } from "../client/content/blockstore.ts";
import { chunkContent, DEFAULT_CHUNK_SIZE } from "../client/content/chunks.ts";
import { download } from "../client/fetch/downloader.ts";
import { getBytes } from "../client/fetch/http-get.ts";
import { HttpChunkSource } from "../client/fetch/http-source.ts";
import { chunkCount, verifiedManifest } from "../client/content/manifest.ts";
import { Libp2pChunkSource } from "../workers/dts/p2p-chunk-source.ts";
import type { ChunkSource } from "../client/fetch/source.ts";
import { createAroHost, type AroHost } from "../workers/p2p/host.ts";
import { BenchServer, type BenchServerApi } from "./lib/dts-bench-server.ts";

const { values: args } = parseArgs({
  options: {
    objects: { type: "string", default: "64" },
    size: { type: "string", default: "1MiB" },
    "chunk-size": { type: "string", default: String(DEFAULT_CHUNK_SIZE) }, // the chain's (256 KiB)
    rounds: { type: "string", default: "5" },
    sources: { type: "string", default: "4" },
    bandwidth: { type: "string", default: "4MiB" },
    big: { type: "string", default: "16MiB" },
    "throttle-reps": { type: "string", default: "3" },
    "skip-libp2p-throttled": { type: "boolean", default: false },
    "ttfb-requests": { type: "string", default: "200" },
    "same-process": { type: "boolean", default: false },
  },
});

const MiB = 1024 * 1024;
function bytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kib|m|mib|g|gib)?$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s} (e.g. 1048576, 256KiB, 1MiB)`);
  const unit = { b: 1, k: 1024, kib: 1024, m: MiB, mib: MiB, g: 1024 * MiB, gib: 1024 * MiB }[(m[2] ?? "b").toLowerCase() as "b"];
  return Math.round(Number(m[1]) * unit);
}
const OBJECTS = Number(args.objects);
const SIZE = bytes(args.size);
const CHUNK = bytes(args["chunk-size"]);
const ROUNDS = Number(args.rounds);
const SOURCES = Number(args.sources);
const BANDWIDTH = bytes(args.bandwidth);
const BIG = bytes(args.big);
const THROTTLE_REPS = Number(args["throttle-reps"]);
const TTFB_REQUESTS = Number(args["ttfb-requests"]);
const SAME_PROCESS = args["same-process"];
const positive = { objects: OBJECTS, size: SIZE, "chunk-size": CHUNK, rounds: ROUNDS, sources: SOURCES, bandwidth: BANDWIDTH, big: BIG, "throttle-reps": THROTTLE_REPS, "ttfb-requests": TTFB_REQUESTS };
for (const [name, v] of Object.entries(positive)) if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, got ${v}`);

const log = (s = "") => process.stdout.write(s + "\n");
const median = (xs: number[]) => pct(xs, 0.5);
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const at = (s.length - 1) * p;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const table = (rows: string[][]) => {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  rows.forEach((r, k) => {
    log("  " + r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("   "));
    if (k === 0) log("  " + w.map((n) => "-".repeat(n)).join("   "));
  });
};
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

type Server = { [K in keyof BenchServerApi]: (...a: Parameters<BenchServerApi[K]>) => Promise<Awaited<ReturnType<BenchServerApi[K]>>> };

/** The servers in a child process, driven over IPC. */
function forkServer(dir: string): { server: Server; child: ChildProcess } {
  const child = fork(fileURLToPath(new URL("./lib/dts-bench-server.ts", import.meta.url)), [dir], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on("message", (m: { id: number; ok: boolean; result?: never; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result as never);
    else p?.reject(new Error(`server process: ${m.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`server process exited (${code ?? signal})`));
    pending.clear();
  });
  const call = (method: keyof BenchServerApi) => (...a: unknown[]) =>
    new Promise<never>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, method, args: a });
    });
  return { child, server: { throughput: call("throughput"), throttled: call("throttled"), stats: call("stats"), stop: call("stop") } };
}

function localServer(dir: string): Server {
  const s = new BenchServer(dir);
  return { throughput: (o) => s.throughput(o), throttled: (o) => s.throttled(o), stats: async () => s.stats(), stop: () => s.stop() };
}

/** Client of the raw TCP baseline: one request at a time on one connection. */
class RawClient {
  private cur?: { head: Buffer; len: number; got: number; parts: Buffer[]; firstAt: number; resolve: (r: { data: Buffer; firstAt: number }) => void; reject: (e: Error) => void };

  private constructor(private readonly sock: net.Socket) {
    sock.on("data", (d: Buffer) => this.onData(d));
    sock.on("error", (e) => this.cur?.reject(e));
    sock.on("close", () => this.cur?.reject(new Error("raw server closed the connection")));
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, "127.0.0.1", () => resolve(new RawClient(sock)));
      sock.setNoDelay(true);
      sock.once("error", reject);
    });
  }

  get(index: number): Promise<{ data: Buffer; firstAt: number }> {
    if (this.cur) throw new Error("one request at a time");
    return new Promise((resolve, reject) => {
      this.cur = { head: Buffer.alloc(0), len: -1, got: 0, parts: [], firstAt: 0, resolve, reject };
      const req = Buffer.alloc(4);
      req.writeUInt32BE(index);
      this.sock.write(req);
    });
  }

  private onData(d: Buffer): void {
    const cur = this.cur;
    if (!cur) return void this.sock.destroy(new Error("data without a request"));
    if (!cur.firstAt) cur.firstAt = performance.now();
    if (cur.len < 0) {
      const head = cur.head.length ? Buffer.concat([cur.head, d]) : d;
      if (head.length < 4) return void (cur.head = head);
      cur.len = head.readUInt32BE(0);
      d = head.subarray(4);
    }
    if (d.length) cur.parts.push(d);
    cur.got += d.length;
    if (cur.got >= cur.len) {
      this.cur = undefined;
      cur.resolve({ data: Buffer.concat(cur.parts, cur.len), firstAt: cur.firstAt });
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** GET a whole body (the client library's getBytes); `firstAt` is when its first byte arrived. */
async function httpGet(url: string): Promise<{ data: Buffer; firstAt: number }> {
  const res = await getBytes(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body.toString("utf8").trim()}`);
  return { data: res.body, firstAt: res.firstByteAt };
}

function checkSize(data: Uint8Array, size: number, what: string): void {
  if (data.length !== size) throw new Error(`${what}: got ${data.length} bytes, want ${size}`);
}

function verifyRoot(data: Uint8Array, root: string): void {
  const got = chunkContent(data, CHUNK).content.root;
  if (got !== root) throw new Error(`body hashes to ${got}, not ${root}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aro-bench-dts-"));
const cleanups: Array<() => unknown> = [];
let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  process.stderr.write(`bench-dts: ${(err as Error)?.stack ?? err}\n`);
} finally {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch((e) => process.stderr.write(`cleanup: ${(e as Error).message}\n`));
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function main(): Promise<void> {
  let server: Server;
  if (SAME_PROCESS) {
    server = localServer(dir);
  } else {
    const forked = forkServer(dir);
    server = forked.server;
    cleanups.push(async () => {
      if (forked.child.exitCode !== null || forked.child.signalCode !== null) return;
      const exited = new Promise((r) => forked.child.once("exit", r));
      const timer = setTimeout(() => forked.child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    });
  }
  cleanups.push(() => server.stop());
  const client = await createAroHost({ listen: [] });
  cleanups.push(() => client.stop());
  cleanups.push(() => getGlobalDispatcher().close());

  log(`PeerDTS benchmark — node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}, ` +
    (SAME_PROCESS ? "servers and client in ONE process" : "servers in a forked process, client in this one") + ", 127.0.0.1");
  log();
  const t = await throughput(server, client);
  log();
  await throttled(server, client);
  log();
  await ttfb(t.raw, t.setup.httpUrl, t.setup.coldHttpUrl, t.setup.roots);
  log();
  breakdown(t.setup.roots);
}

async function throughput(server: Server, client: AroHost) {
  const setup = await server.throughput({ objects: OBJECTS, size: SIZE, chunkSize: CHUNK });
  const { roots } = setup;
  const raw = await RawClient.connect(setup.rawPort);
  cleanups.push(() => raw.close());
  const p2p = new Libp2pChunkSource(client, setup.libp2pAddrs.map((a) => multiaddr(a)), "libp2p");
  cleanups.push(() => p2p.close());
  const httpSrc = new HttpChunkSource(setup.httpUrl, "http");
  const signal = new AbortController().signal;
  let store: Blockstore | undefined;
  const freshStore = (name: string) => () => void (store = new Blockstore(path.join(dir, `client-${name}`)));
  const dropStore = () => {
    if (store) fs.rmSync(store.dir, { recursive: true, force: true });
    store = undefined;
  };

  type Variant = { name: string; diag?: boolean; begin?: () => void; end?: () => void; get: (i: number) => Promise<void> };
  const variants: Variant[] = [
    { name: "raw TCP from memory (baseline)", get: async (i) => checkSize((await raw.get(i)).data, SIZE, "raw") },
    { name: "HTTP GET /content", get: async (i) => checkSize((await httpGet(`${setup.httpUrl}/content/${roots[i]}`)).data, SIZE, "http") },
    { name: "HTTP GET /content + client verify", get: async (i) => verifyRoot((await httpGet(`${setup.httpUrl}/content/${roots[i]}`)).data, roots[i]) },
    { name: "libp2p download() -> Blockstore", begin: freshStore("libp2p"), end: dropStore, get: async (i) => void (await download({ root: roots[i], sources: [p2p], store: store! })) },
    {
      name: "libp2p chunks, verified in memory", diag: true,
      get: async (i) => {
        const m = verifiedManifest(roots[i], await p2p.manifest(roots[i], signal));
        const n = chunkCount(m);
        for (let c = 0; c < n; c++) {
          const { data, proof } = await p2p.chunk(roots[i], c, signal);
          if (!verifyChunk(Buffer.from(roots[i], "hex"), BigInt(n), BigInt(c), chunkHash(data), proof)) throw new Error(`libp2p chunk ${c} is corrupt`);
        }
      },
    },
    { name: "HTTP download() -> Blockstore", diag: true, begin: freshStore("http"), end: dropStore, get: async (i) => void (await download({ root: roots[i], sources: [httpSrc], store: store! })) },
    { name: "HTTP GET /content, chunk cache off", diag: true, get: async (i) => checkSize((await httpGet(`${setup.coldHttpUrl}/content/${roots[i]}`)).data, SIZE, "http-cold") },
    { name: "node:http alone from memory (no PeerDTS)", diag: true, get: async (i) => checkSize((await httpGet(`${setup.plainHttpUrl}/${i}`)).data, SIZE, "plain-http") },
  ];
  const results = variants.map(() => ({ mibps: [] as number[], clientCpu: [] as number[], serverCpu: [] as number[] }));
  const mib = (OBJECTS * SIZE) / MiB;
  log(`1. Throughput: ${OBJECTS} objects x ${fmtBytes(SIZE)} (${fmtBytes(CHUNK)} chunks) fetched one after another, ${ROUNDS} rounds + 1 warm-up, variants interleaved (order rotated per round)`);
  for (let round = -1; round < ROUNDS; round++) {
    const shift = Math.max(0, round);
    for (let k = 0; k < variants.length; k++) {
      const vi = (k + shift) % variants.length;
      const v = variants[vi];
      v.begin?.();
      const s0 = (await server.stats()).cpuMs;
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < OBJECTS; i++) await v.get(i);
      const sec = (performance.now() - t0) / 1000;
      const c1 = cpuMs();
      const s1 = (await server.stats()).cpuMs;
      v.end?.();
      if (round < 0) continue;
      results[vi].mibps.push(mib / sec);
      results[vi].clientCpu.push((c1 - c0) / mib);
      results[vi].serverCpu.push((s1 - s0) / mib);
    }
  }
  const base = median(results[0].mibps);
  const rows = [["variant", "MiB/s (median)", "min..max", "x raw", SAME_PROCESS ? "CPU ms/MiB (both ends)" : "client CPU ms/MiB", SAME_PROCESS ? "" : "server CPU ms/MiB"]];
  variants.forEach((v, k) => {
    if (v.diag && !variants[k - 1].diag) rows.push(["diagnostics:", "", "", "", "", ""]);
    const r = results[k];
    rows.push([
      (v.diag ? "  " : "") + v.name,
      median(r.mibps).toFixed(0),
      `${Math.min(...r.mibps).toFixed(0)}..${Math.max(...r.mibps).toFixed(0)}`,
      (median(r.mibps) / base).toFixed(2),
      median(r.clientCpu).toFixed(2),
      SAME_PROCESS ? "" : median(r.serverCpu).toFixed(2),
    ]);
  });
  table(rows);
  log("  (chunk cache off = every chunk read from disk and re-hashed per request, as for content not requested lately)");
  const ratio = (k: number) => median(results[k].mibps) / base;
  log(`  ratio HTTP/raw            : ${ratio(1).toFixed(2)}x  (target >= 0.8x: ${verdict(ratio(1) >= 0.8)})`);
  log(`  ratio HTTP+verify/raw     : ${ratio(2).toFixed(2)}x`);
  log(`  ratio libp2p/raw          : ${ratio(3).toFixed(2)}x`);
  log(`  ratio HTTP with the chunk cache off/raw: ${ratio(6).toFixed(2)}x`);
  log(`  ratio node:http alone/raw : ${ratio(7).toFixed(2)}x  (the HTTP stack's ceiling here; PeerDTS HTTP reaches ${(ratio(1) / ratio(7)).toFixed(2)} of it)`);
  return { setup, raw };
}

async function throttled(server: Server, client: AroHost): Promise<void> {
  const withP2p = !args["skip-libp2p-throttled"];
  const t = await server.throttled({ size: BIG, chunkSize: CHUNK, sources: SOURCES, bytesPerSec: BANDWIDTH, libp2p: withP2p });
  const http: ChunkSource[] = t.httpUrls.map((u, k) => new HttpChunkSource(u, `http-${k}`));
  const p2p: ChunkSource[] = t.libp2pAddrs.map((a, k) => new Libp2pChunkSource(client, a.map((x) => multiaddr(x)), `libp2p-${k}`));
  for (const s of p2p) cleanups.push(() => s.close());
  const signal = new AbortController().signal;
  for (const s of [...http, ...p2p]) await s.manifest(t.root, signal); // connect (and dial) before timing

  const cases = [
    { name: "HTTP, 1 source", sources: http.slice(0, 1) },
    { name: `HTTP, ${SOURCES} sources`, sources: http },
    ...(withP2p ? [{ name: "libp2p, 1 source", sources: p2p.slice(0, 1) }, { name: `libp2p, ${SOURCES} sources`, sources: p2p }] : []),
  ];
  const secs = cases.map(() => [] as number[]);
  const spread = cases.map(() => "");
  log(`2. One ${fmtBytes(BIG)} object (${BIG / CHUNK} chunks) with download() from 1 vs ${SOURCES} nodes each capped at ${fmtBytes(BANDWIDTH)}/s, ${THROTTLE_REPS} reps interleaved`);
  for (let rep = 0; rep < THROTTLE_REPS; rep++) {
    for (const [k, c] of cases.entries()) {
      const store = new Blockstore(path.join(dir, `client-throttled-${k}-${rep}`));
      const t0 = performance.now();
      const r = await download({ root: t.root, sources: c.sources, store });
      secs[k].push((performance.now() - t0) / 1000);
      spread[k] = [...r.servedBy.values()].map((l) => l.length).join("/");
      if (r.dropped.length) throw new Error(`${c.name}: dropped ${r.dropped.map((d) => `${d.id} ${d.reason}`).join(", ")}`);
      fs.rmSync(store.dir, { recursive: true, force: true });
    }
  }
  const ideal = BIG / BANDWIDTH;
  table([
    ["case", "seconds (median)", "min..max", "MiB/s", "chunks per source"],
    ...cases.map((c, k) => [c.name, median(secs[k]).toFixed(2), `${Math.min(...secs[k]).toFixed(2)}..${Math.max(...secs[k]).toFixed(2)}`, (BIG / MiB / median(secs[k])).toFixed(1), spread[k]]),
  ]);
  log(`  (one capped node needs ${ideal.toFixed(2)} s at best; ${SOURCES} need ${(ideal / SOURCES).toFixed(2)} s)`);
  for (let k = 0; k < cases.length; k += 2) {
    const r = median(secs[k]) / median(secs[k + 1]);
    log(`  speed-up ${cases[k + 1].name} vs 1 : ${r.toFixed(2)}x  (target >= 3x: ${verdict(r >= 3)})`);
  }
}

async function ttfb(raw: RawClient, httpUrl: string, coldUrl: string, roots: string[]): Promise<void> {
  const kinds = [
    { name: "raw TCP (baseline)", run: async (i: number) => { const t0 = performance.now(); const r = await raw.get(i); checkSize(r.data, SIZE, "raw"); return r.firstAt - t0; } },
    { name: "HTTP GET /content", run: async (i: number) => { const t0 = performance.now(); const r = await httpGet(`${httpUrl}/content/${roots[i]}`); checkSize(r.data, SIZE, "http"); return r.firstAt - t0; } },
    { name: "  HTTP, chunk cache off", run: async (i: number) => { const t0 = performance.now(); const r = await httpGet(`${coldUrl}/content/${roots[i]}`); checkSize(r.data, SIZE, "http"); return r.firstAt - t0; } },
  ];
  const ms = kinds.map(() => [] as number[]);
  const warm = 20;
  log(`3. Time to first byte of a ${fmtBytes(SIZE)} object: ${TTFB_REQUESTS} requests each (after ${warm} warm-up), kept-alive connection, kinds interleaved`);
  for (let n = -warm; n < TTFB_REQUESTS; n++) {
    const i = ((n % roots.length) + roots.length) % roots.length;
    for (let k = 0; k < kinds.length; k++) {
      const kk = (k + Math.max(0, n)) % kinds.length;
      const v = await kinds[kk].run(i);
      if (n >= 0) ms[kk].push(v);
    }
  }
  const base = median(ms[0]);
  table([
    ["kind", "p50 ms", "p90 ms", "p99 ms", "max ms", "p50 x raw"],
    ...kinds.map((k, j) => [k.name, median(ms[j]).toFixed(3), pct(ms[j], 0.9).toFixed(3), pct(ms[j], 0.99).toFixed(3), Math.max(...ms[j]).toFixed(3), (median(ms[j]) / base).toFixed(1)]),
  ]);
}

/** Single-threaded cost per MiB of each step on the serving and verifying paths, on the server's store. */
function breakdown(roots: string[]): void {
  const storeDir = path.join(dir, "server-throughput");
  const store = new Blockstore(storeDir);
  const m = store.manifest(roots[0])!;
  const n = chunkCount(m);
  const bodies = roots.map((r) => Buffer.from(store.read(r, 0, SIZE)));
  const steps: Array<[string, (root: string, k: number) => void]> = [
    ["fs.readSync of the chunks from the data file", (r) => { const fd = fs.openSync(store.dataPath(r), "r"); const b = Buffer.allocUnsafe(CHUNK); for (let c = 0; c < n; c++) fs.readSync(fd, b, 0, CHUNK, c * CHUNK); fs.closeSync(fd); }],
    ["plain sha256 of the chunks (reference)", (_r, k) => { for (let c = 0; c < n; c++) createHash("sha256").update(bodies[k].subarray(c * CHUNK, (c + 1) * CHUNK)).digest(); }],
    [`chunkHash (RFC 6962 over ${SEGMENT_SIZE / 1024} KiB segments)`, (_r, k) => { for (let c = 0; c < n; c++) chunkHash(bodies[k].subarray(c * CHUNK, (c + 1) * CHUNK)); }],
    ["Blockstore.chunk (read + copy + chunkHash)", (r) => { for (let c = 0; c < n; c++) store.chunk(r, c); }],
    ["chunkContent (client verify of a body)", (_r, k) => void chunkContent(bodies[k], CHUNK)],
    ["Buffer copy of the object (reference)", (_r, k) => void Buffer.from(bodies[k])],
  ];
  log(`4. Where a MiB goes (this process, one thread, ${roots.length} objects x 5 passes, median pass)`);
  const rows = [["step", "ms per MiB", "MiB/s if alone"]];
  for (const [name, f] of steps) {
    const per: number[] = [];
    for (let pass = 0; pass < 5; pass++) {
      const t0 = performance.now();
      roots.forEach((r, k) => f(r, k));
      per.push((performance.now() - t0) / ((roots.length * SIZE) / MiB));
    }
    rows.push([name, median(per).toFixed(3), (1000 / median(per)).toFixed(0)]);
  }
  table(rows);
}

function fmtBytes(b: number): string {
  if (b >= MiB && b % MiB === 0) return `${b / MiB} MiB`;
  if (b >= 1024 && b % 1024 === 0) return `${b / 1024} KiB`;
  return `${b} B`;
}
