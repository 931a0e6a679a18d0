import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import {
  ResponseApplySnapshotChunk_Result as ApplyResult, ResponseOfferSnapshot_Result as OfferResult,
  type RequestApplySnapshotChunk, type RequestLoadSnapshotChunk, type RequestOfferSnapshot, type ResponseApplySnapshotChunk,
  type ResponseListSnapshots, type ResponseLoadSnapshotChunk, type ResponseOfferSnapshot, type Snapshot,
} from "cosmjs-types/tendermint/abci/types";
import type { Logger } from "../logger.ts";
import type { CommittedStore } from "../store/committed-store.ts";
import type { StoreRestore } from "../store/restore.ts";
import { sha256 as hash } from "../store/iavl/node.ts";
import { CHUNK_BYTES, decodeMetadata, encodeItem, encodeMetadata, ItemDecoder, MAX_ITEM_BYTES, SNAPSHOT_FORMAT } from "./format.ts";

export interface SnapshotOptions {
  /** Where snapshots are kept: <dir>/<height>/<format>/{0,1,…,metadata.json}. */
  readonly dir: string;
  /** Take one at every height that is a multiple of this (app.toml snapshot-interval; 0: never). */
  readonly interval: number;
  /** How many to keep (app.toml snapshot-keep-recent). */
  readonly keepRecent: number;
  readonly log: Logger;
  /** Raw bytes per chunk before deflate (default CHUNK_BYTES; tests use small ones). */
  readonly chunkBytes?: number;
}

const sha256 = (b: Uint8Array): Buffer => Buffer.from(hash(b));

/**
 * State-sync snapshots: taking them in the background every `interval` heights (the
 * version is pinned against pruning while it is read), serving their chunks to peers,
 * and restoring a fresh node from one, chunk by chunk, each chunk checked against the
 * hash the snapshot's metadata lists and the whole against the app hash CometBFT's light
 * client trusts.
 */
export class SnapshotManager {
  private creating?: Promise<void>;
  private restoring?: { height: number; hashes: string[]; next: number; appHash: Uint8Array; decoder: ItemDecoder; restore: StoreRestore };

  constructor(
    private readonly store: CommittedStore,
    private readonly o: SnapshotOptions,
    /** Called once a restore has made the store the snapshot's height. */
    private readonly onRestored: () => void = () => {},
  ) {
    fs.mkdirSync(o.dir, { recursive: true });
    // a snapshot left half-written by a crash is not listed; remove it
    for (const h of fs.readdirSync(o.dir).filter((d) => /^\d+$/.test(d))) for (const f of fs.readdirSync(path.join(o.dir, h))) if (f.endsWith(".tmp")) fs.rmSync(path.join(o.dir, h, f), { recursive: true, force: true });
  }

  /** After each commit: at interval heights, starts a snapshot (one at a time) without holding up the chain. */
  afterCommit(height: bigint): void {
    if (this.o.interval <= 0 || height % BigInt(this.o.interval) !== 0n) return;
    if (this.creating) {
      this.o.log.warn("snapshot skipped: the previous one is still being written", { height: String(height) });
      return;
    }
    this.store.pin(height);
    this.creating = this.create(height)
      .then((s) => this.o.log.info("snapshot taken", { height: String(height), chunks: s.chunks }))
      .catch((err) => this.o.log.error("snapshot failed", { height: String(height), err: String(err) }))
      .finally(() => {
        this.store.unpin(height);
        this.creating = undefined;
      });
  }

  /** Resolves when no snapshot is being written (tests and shutdown). */
  async idle(): Promise<void> {
    await this.creating;
  }

  /** Writes the snapshot of a kept height; it appears (renamed into place) only once complete. */
  async create(height: bigint): Promise<Snapshot> {
    const final = path.join(this.o.dir, String(height), String(SNAPSHOT_FORMAT));
    const tmp = `${final}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const hashes: string[] = [];
    let parts: Uint8Array[] = [];
    let size = 0;
    const cut = () => {
      const chunk = zlib.deflateRawSync(Buffer.concat(parts));
      fs.writeFileSync(path.join(tmp, String(hashes.length)), chunk);
      hashes.push(sha256(chunk).toString("hex"));
      parts = [];
      size = 0;
    };
    let items = 0;
    for (const item of this.store.exportAt(height)) {
      const b = encodeItem(item);
      parts.push(b);
      size += b.length;
      if (size >= (this.o.chunkBytes ?? CHUNK_BYTES)) cut();
      // let the chain go on between pieces of a large export
      if (++items % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
    if (size > 0 || hashes.length === 0) cut();
    fs.writeFileSync(path.join(tmp, "metadata.json"), encodeMetadata({ chunkHashes: hashes }));
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(tmp, final);
    this.prune();
    return this.describe(height, hashes);
  }

  /** Complete snapshots, newest first. */
  list(): ResponseListSnapshots {
    const out: Snapshot[] = [];
    for (const h of fs.readdirSync(this.o.dir)) {
      if (!/^\d+$/.test(h)) continue;
      const meta = path.join(this.o.dir, h, String(SNAPSHOT_FORMAT), "metadata.json");
      if (!fs.existsSync(meta)) continue;
      try {
        out.push(this.describe(BigInt(h), decodeMetadata(fs.readFileSync(meta)).chunkHashes));
      } catch (err) {
        this.o.log.warn("snapshot not listed: bad metadata", { height: h, err: String(err) });
      }
    }
    return { snapshots: out.sort((a, b) => (a.height > b.height ? -1 : 1)) };
  }

  loadChunk(req: RequestLoadSnapshotChunk): ResponseLoadSnapshotChunk {
    const file = path.join(this.o.dir, String(req.height), String(req.format), String(req.chunk));
    return { chunk: req.format === SNAPSHOT_FORMAT && fs.existsSync(file) ? fs.readFileSync(file) : new Uint8Array() };
  }

  /** A peer's snapshot, offered by CometBFT with the app hash its light client verified. */
  async offer(req: RequestOfferSnapshot): Promise<ResponseOfferSnapshot> {
    const s = req.snapshot;
    if (this.restoring) await this.drop("another snapshot was offered");
    if (!s) return { result: OfferResult.REJECT };
    if (s.format !== SNAPSHOT_FORMAT) return { result: OfferResult.REJECT_FORMAT };
    let hashes: string[];
    try {
      hashes = decodeMetadata(s.metadata).chunkHashes;
    } catch (err) {
      this.o.log.warn("snapshot refused: bad metadata", { height: String(s.height), err: String(err) });
      return { result: OfferResult.REJECT };
    }
    if (hashes.length !== s.chunks || hashes.length === 0 || !sha256(Buffer.from(hashes.join(""), "hex")).equals(Buffer.from(s.hash))) {
      this.o.log.warn("snapshot refused: its chunk list does not match its hash", { height: String(s.height) });
      return { result: OfferResult.REJECT };
    }
    let restore: StoreRestore;
    try {
      restore = this.store.beginRestore(s.height);
    } catch (err) {
      this.o.log.error("state sync: cannot restore here", { err: String(err) });
      return { result: OfferResult.ABORT };
    }
    this.restoring = { height: Number(s.height), hashes, next: 0, appHash: req.appHash, decoder: new ItemDecoder(), restore };
    this.o.log.info("state sync: restoring snapshot", { height: String(s.height), chunks: s.chunks });
    return { result: OfferResult.ACCEPT };
  }

  /** One chunk, in order: refused (and fetched again from another peer) if its hash is not the listed one. */
  async applyChunk(req: RequestApplySnapshotChunk): Promise<Partial<ResponseApplySnapshotChunk>> {
    const r = this.restoring;
    if (!r) return { result: ApplyResult.ABORT };
    if (req.index !== r.next) return { result: ApplyResult.RETRY, refetchChunks: [req.index] };
    if (sha256(req.chunk).toString("hex") !== r.hashes[req.index]) {
      this.o.log.warn("state sync: chunk refused, its hash is not the snapshot's", { height: String(r.height), chunk: req.index, sender: req.sender });
      return { result: ApplyResult.RETRY, refetchChunks: [req.index], rejectSenders: req.sender ? [req.sender] : [] };
    }
    try {
      for (const item of r.decoder.push(zlib.inflateRawSync(req.chunk, { maxOutputLength: MAX_ITEM_BYTES }))) r.restore.add(item);
      await r.restore.flush();
      r.next++;
      if (r.next < r.hashes.length) return { result: ApplyResult.ACCEPT };
      if (!r.decoder.done) throw new Error("snapshot: the last chunk ends inside an item");
      await r.restore.finish(r.appHash);
    } catch (err) {
      this.o.log.warn("state sync: snapshot refused", { height: String(r.height), err: String(err) });
      await this.drop(String(err));
      return { result: ApplyResult.REJECT_SNAPSHOT };
    }
    this.restoring = undefined;
    this.o.log.info("state sync: snapshot restored, app hash verified", { height: String(r.height) });
    this.onRestored();
    return { result: ApplyResult.ACCEPT };
  }

  private async drop(why: string): Promise<void> {
    const r = this.restoring;
    this.restoring = undefined;
    if (r) {
      this.o.log.info("state sync: restore dropped", { height: String(r.height), why });
      await r.restore.abort();
    }
  }

  private describe(height: bigint, hashes: string[]): Snapshot {
    return { height, format: SNAPSHOT_FORMAT, chunks: hashes.length, hash: sha256(Buffer.from(hashes.join(""), "hex")), metadata: encodeMetadata({ chunkHashes: hashes }) };
  }

  private prune(): void {
    const heights = fs.readdirSync(this.o.dir).filter((h) => /^\d+$/.test(h) && fs.existsSync(path.join(this.o.dir, h, String(SNAPSHOT_FORMAT), "metadata.json")));
    heights.sort((a, b) => Number(b) - Number(a));
    for (const h of heights.slice(Math.max(1, this.o.keepRecent))) fs.rmSync(path.join(this.o.dir, h), { recursive: true, force: true });
  }
}
