import { chunkHash, verifyChunk } from "../../chain/proofs/chunk-tree.ts";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { peerIdFromString } from "@libp2p/peer-id";
import type { AroHost } from "../p2p/host.ts";
import { dialAddr } from "./chain-sources.ts";
import { challengeFailure, newNonce } from "./challenge.ts";
import { Libp2pChunkSource } from "./p2p-chunk-source.ts";
import { DTS_PROBE_PROTOCOL } from "./p2p-protocol.ts";
import { getBytes } from "../../client/fetch/http-get.ts";
import { HttpChunkSource } from "../../client/fetch/http-source.ts";
import { chunkCount, chunkRange, verifiedManifest } from "../../client/content/manifest.ts";
import type { ChunkSource } from "../../client/fetch/source.ts";

/** What one probe of a node found. */
export interface ProbeResult {
  answered: boolean;
  latencyMs: number;
  /** the random chunk of the content asked about: served and matching its root, or not */
  chunk?: "passed" | "failed";
  /** why the node did not count as answering */
  failure?: string;
  /** how the node was reached when it answered: directly (HTTP, or a direct libp2p connection) or only through a relay */
  reach?: "direct" | "relayed";
}

/** A random chunk of `root` from the source, checked against the root (through the source's manifest, itself checked against the root). */
export async function checkRandomChunk(source: ChunkSource, root: string, signal: AbortSignal): Promise<"passed" | "failed"> {
  try {
    const m = verifiedManifest(root, await source.manifest(root, signal));
    const n = chunkCount(m);
    const index = Math.floor(Math.random() * n);
    const { data, proof } = await source.chunk(root, index, signal);
    const { start, end } = chunkRange(m, index);
    return data.length === end - start && verifyChunk(Buffer.from(root, "hex"), BigInt(n), BigInt(index), chunkHash(data), proof) ? "passed" : "failed";
  } catch {
    return "failed";
  }
}

/**
 * One probe of a node's PeerDTS HTTP endpoint, used by watchers (attestations) and by
 * routing (before it believes a client's report that a node failed): a timed small task
 * it must answer — with `peerId` (the one the node registered), sign a fresh nonce with
 * that peer's key (GET /challenge); without, GET /health — and, when `root` is given, a
 * random chunk of that content checked against the root.
 */
export async function probeHttp(url: string, root: string | undefined, o: { timeoutMs: number; peerId?: string }): Promise<ProbeResult> {
  const base = url.replace(/\/$/, "");
  const t0 = performance.now();
  try {
    const signal = AbortSignal.timeout(o.timeoutMs);
    if (o.peerId !== undefined) {
      const nonce = newNonce();
      const r = await getBytes(`${base}/challenge?nonce=${Buffer.from(nonce).toString("hex")}`, { signal, maxBytes: 4096 });
      if (r.status !== 200) return { answered: false, latencyMs: 0, failure: `challenge: HTTP ${r.status}` };
      const failure = await challengeFailure(parseJson(r.body), o.peerId, nonce);
      if (failure) return { answered: false, latencyMs: 0, failure: `challenge: ${failure}` };
    } else {
      const h = await getBytes(`${base}/health`, { signal, maxBytes: 4096 });
      if (h.status !== 200) return { answered: false, latencyMs: 0, failure: `health: HTTP ${h.status}` };
    }
  } catch (err) {
    return { answered: false, latencyMs: 0, failure: (err as Error).message };
  }
  const latencyMs = Math.round(performance.now() - t0);
  if (root === undefined) return { answered: true, latencyMs };
  return { answered: true, latencyMs, chunk: await checkRandomChunk(new HttpChunkSource(base, base), root, AbortSignal.timeout(o.timeoutMs)) };
}

/**
 * The same probe over libp2p, the way clients reach a node without a public HTTP endpoint:
 * dial its registered multiaddrs (direct, or a relay circuit), have it sign a fresh nonce
 * with its peer key (the challenge op), and check a random chunk of `root` over that
 * connection. It runs on the small /aro/dts-probe protocol, which nodes serve on limited
 * (circuit relay v2) connections too, falling back to /aro/dts for a node that does not
 * speak it. `reach` says whether the prober ended up with a direct connection or only a
 * relayed one.
 */
export async function probeLibp2p(host: AroHost, node: { peerId: string; multiaddrs: readonly string[] }, root: string | undefined, o: { timeoutMs: number }): Promise<ProbeResult> {
  if (node.multiaddrs.length === 0) return { answered: false, latencyMs: 0, failure: "libp2p: the node registered no multiaddrs" };
  let addrs: Multiaddr[];
  try {
    addrs = node.multiaddrs.map((a) => multiaddr(dialAddr(a, node.peerId)));
  } catch (err) {
    return { answered: false, latencyMs: 0, failure: `libp2p: ${(err as Error).message}` };
  }
  const signal = AbortSignal.timeout(o.timeoutMs);
  const t0 = performance.now();
  let source = new Libp2pChunkSource(host, addrs, node.peerId, 1, { protocol: DTS_PROBE_PROTOCOL, waitDirectMs: 0 });
  try {
    const nonce = newNonce();
    let answer: unknown;
    try {
      answer = await source.challenge(Buffer.from(nonce).toString("hex"), signal);
    } catch (err) {
      if ((err as Error).name !== "UnsupportedProtocolError") throw err;
      await source.close();
      source = new Libp2pChunkSource(host, addrs, node.peerId, 1, { waitDirectMs: 0 });
      answer = await source.challenge(Buffer.from(nonce).toString("hex"), signal);
    }
    const failure = await challengeFailure(answer, node.peerId, nonce);
    if (failure) return { answered: false, latencyMs: 0, failure: `libp2p challenge: ${failure}` };
    const latencyMs = Math.round(performance.now() - t0);
    const reach = directlyConnected(host, node.peerId) ? "direct" : "relayed";
    if (root === undefined) return { answered: true, latencyMs, reach };
    return { answered: true, latencyMs, reach, chunk: await checkRandomChunk(source, root, AbortSignal.timeout(o.timeoutMs)) };
  } catch (err) {
    return { answered: false, latencyMs: 0, failure: `libp2p: ${(err as Error).message}` };
  } finally {
    await source.close();
  }
}

/** Whether this host holds an open connection to the peer that is not a relay circuit. */
export function directlyConnected(host: AroHost, peerId: string): boolean {
  return host.getConnections(peerIdFromString(peerId)).some((c) => c.status === "open" && c.limits === undefined && !c.remoteAddr.toString().includes("/p2p-circuit"));
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    return undefined;
  }
}
