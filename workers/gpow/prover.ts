import type { Logger } from "pino";
import { Receipt, ClaimStatus } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { deliveryCostAt, receiptFault } from "../../protocol/delivery.ts";
import { receiptKey } from "../../chain/proofs/sum-tree.ts";
import { epochEndHeight, epochOfHeight, epochStartHeight } from "../../chain/epochs.ts";
import { decFromString } from "../../chain/dec.ts";
import type { ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import { pad, putSync, type AgentDb } from "../runtime/state-db.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { storageAnswer } from "./storage-answer.ts";
import type { ReceiptSink } from "../dts/service.ts";
import { EpochClaim } from "./epoch-claim.ts";

/** Epoch boundaries and the GPoW windows after them (heights, inclusive). */
export interface Windows {
  epochLength: bigint;
  claimWindow: bigint;
  proofWindow: bigint;
}
export const epochOf = (w: Windows, height: bigint): bigint => epochOfHeight(w.epochLength, height);
export const epochEnd = (w: Windows, epoch: bigint): bigint => epochEndHeight(w.epochLength, epoch);
export const epochStart = (w: Windows, epoch: bigint): bigint => epochStartHeight(w.epochLength, epoch);

/** A client's receipts to this node in one epoch: their bytes, and the highest running total it signed. */
interface Owed {
  bytes: bigint;
  maxTotal: bigint;
}
const addReceipt = (o: Owed | undefined, r: Receipt): Owed => ({
  bytes: (o?.bytes ?? 0n) + r.bytes,
  maxTotal: o && o.maxTotal > r.totalBytes ? o.maxTotal : r.totalBytes,
});

/** Storage answers per tx: each carries a segment of at most 4 KiB and two short branches. */
const STORAGE_PROOFS_PER_TX = 32;
/** Refusals that will repeat (not challenged, not a replica, window closed, already proven): not retried. */
const PERMANENT_STORAGE_REFUSAL = /not challenged|no replica|closed at height|already proven|storage proofs are for the current epoch/;

/** Receipt keys of one epoch ("<epoch>/<leaf key>"; "0" sorts right after "/"). */
const epochKeys = (epoch: bigint) => ({ gte: `${pad(epoch)}/`, lt: `${pad(epoch)}0` });

interface ClaimRecord {
  epoch: string;
  /** receipts frozen: later ones for this epoch are refused */
  frozen: boolean;
  submitted: boolean;
  root?: string;
  proven: string[];
  done: boolean;
}

/** What the prover is for: the node it proves for, its owner (never a paying client), the chain's windows. */
export interface ProverInit {
  readonly nodeId: bigint;
  readonly owner: string;
  readonly windows: Windows;
  readonly events?: ProverEvents;
}

/** The GPoW prover as a worker factory: `gpowProver(init)(components)`. */
export const gpowProver = (init: ProverInit) => (components: Pick<WorkerComponents, "chain" | "db" | "store" | "log">) => new GpowProver(components, init);

export interface ProverEvents {
  onReceipt?(r: Receipt): void;
  onClaim?(epoch: bigint, bytes: bigint): void;
  onProof?(epoch: bigint, offset: bigint): void;
  onStorageProof?(contentId: bigint, epoch: bigint): void;
}

/**
 * The GPoW prover: keeps every client receipt durably (LevelDB, synced), and at each
 * block submits what is due — the epoch's claim (sum tree of its receipts) in the claim
 * window, the proofs the chain asks for in the proof window, and the answer to each
 * storage challenge on the replicas it holds. Everything it needs after a crash is in
 * the database, so a restart between claim and proof still proves.
 */
export class GpowProver implements ReceiptSink {
  private busy = false;
  /** bytes receipted per client, per epoch not yet finished (loaded from the database on first use) */
  private readonly owed = new Map<bigint, Map<string, Owed>>();
  private accepting: Promise<unknown> = Promise.resolve();

  private readonly chain: ChainClient;
  private readonly db: AgentDb;
  private readonly store: Blockstore;
  private readonly log: Logger;
  private readonly nodeId: bigint;
  private readonly owner: string;
  private readonly windows: Windows;
  private readonly events: ProverEvents;

  constructor(components: Pick<WorkerComponents, "chain" | "db" | "store" | "log">, init: ProverInit) {
    ({ chain: this.chain, db: this.db, store: this.store, log: this.log } = components);
    ({ nodeId: this.nodeId, owner: this.owner, windows: this.windows } = init);
    this.events = init.events ?? {};
  }

  /** A client's receipt: checked like the chain will check it, then kept durably (one at a time). */
  accept(r: Receipt): Promise<void> {
    const run = this.accepting.then(() => this.acceptOne(r));
    this.accepting = run.catch(() => undefined);
    return run;
  }

  private async acceptOne(r: Receipt): Promise<void> {
    if (r.nodeId !== this.nodeId) throw new Error(`receipt is for node ${r.nodeId}, this is node ${this.nodeId}`);
    const fault = receiptFault(r);
    if (fault) throw new Error(`${fault.reason}: ${fault.kind === "signature" ? "receipt signature does not verify" : "invalid receipt"}`);
    if (r.client === this.owner || r.client === this.chain.address) throw new Error("a node's own account cannot sign its receipts (self-dealing)");
    const height = await this.chain.height();
    const current = epochOf(this.windows, height + 1n);
    // the epoch that just ended is still fine until the claim for it is made
    if (r.epoch !== current && r.epoch + 1n !== current) throw new Error(`receipt is for epoch ${r.epoch}, the current epoch is ${current}`);
    const rec = await this.db.getJson<ClaimRecord>(this.db.claims, pad(r.epoch));
    if (rec?.frozen) throw new Error(`epoch ${r.epoch} is already claimed`);
    const key = `${pad(r.epoch)}/${receiptKey(r.client, r.nonce).toString(16).padStart(16, "0")}`;
    if ((await this.db.receipts.get(key)) !== undefined) throw new Error(`duplicate receipt: ${r.client} nonce ${r.nonce}`);
    const owed = await this.owedIn(r.epoch);
    await this.requireClaimable(r, owed);
    await putSync(this.db.receipts, key, Receipt.encode(r).finish());
    owed.set(r.client, addReceipt(owed.get(r.client), r));
    this.events.onReceipt?.(r);
  }

  /**
   * Only receipts the chain will take into a claim and that are sure to be paid: from a
   * client with an escrow, whose allotment to this node (not what is thawing out of it)
   * covers everything it owes this node in epochs not yet claimed on chain, this receipt
   * included; and no more clients than a claim may list. (One receipt the chain refuses at
   * proof time would void the whole claim.) Only this node's claims can draw the
   * allotment, and what the client takes back stays drawable until the claim windows open
   * now have closed, so every receipt kept here is paid if its claim is made in time.
   */
  private async requireClaimable(r: Receipt, owed: ReadonlyMap<string, Owed>): Promise<void> {
    const before = owed.get(r.client);
    const after = addReceipt(before, r);
    // the chain charges a client at most its highest signed running total: it must cover every byte kept
    if (r.totalBytes < r.bytes || after.maxTotal < after.bytes) {
      throw new Error(`receipt total_bytes ${r.totalBytes} does not cover what ${r.client} has receipted to this node in epoch ${r.epoch}: sign total_bytes of at least ${after.bytes}`);
    }
    const [market, gpow] = await Promise.all([this.chain.q.aro.market.Params({}), this.chain.q.aro.gpow.Params({})]);
    if (!before && owed.size >= (gpow.params?.maxClientsPerClaim ?? 0)) {
      throw new Error(`this node's claim for epoch ${r.epoch} already lists ${owed.size} clients, the most a claim may list`);
    }
    let escrow;
    try {
      escrow = (await this.chain.q.aro.market.Escrow({ owner: r.client })).escrow;
    } catch (err) {
      if (!/not found|no escrow/i.test((err as Error).message)) throw new Error(`cannot check the escrow of ${r.client}: ${(err as Error).message}`);
    }
    if (!escrow) throw new Error(`client ${r.client} has no escrow on chain: the chain refuses its receipts`);
    const price = decFromString(market.params?.prices?.perGbDelivered ?? "0");
    const exposure = await this.unclaimedCost(r, price);
    const { allotment } = await this.chain.q.aro.market.Allotment({ owner: r.client, nodeId: this.nodeId });
    const allotted = BigInt(allotment?.amount || "0");
    if (allotted <= 0n || allotted < exposure) {
      throw new Error(
        `${r.client} has allotted ${allotted}uaro to node ${this.nodeId} (${allotment?.thawing || "0"} more thawing, not counted); `
        + `its unclaimed receipts to this node, this one included, cost ${exposure}uaro: allot more (aro tx market allot ${this.nodeId} <amount>)`,
      );
    }
  }

  /**
   * What `r`'s client will owe this node, `r` included, over every epoch whose claim is not
   * on chain yet (a claim on chain has already moved its part out of the allotment). Per
   * epoch, as the chain holds it: deliveryCostAt(the client's bytes in that epoch).
   */
  private async unclaimedCost(r: Receipt, price: bigint): Promise<bigint> {
    const height = await this.chain.height();
    const current = epochOf(this.windows, height + 1n);
    const span = (this.windows.claimWindow + this.windows.proofWindow) / this.windows.epochLength + 2n;
    const from = r.epoch < current ? r.epoch - span : current - span;
    let total = 0n;
    for (let e = from < 0n ? 0n : from; e <= (r.epoch > current ? r.epoch : current); e++) {
      const rec = await this.db.getJson<ClaimRecord>(this.db.claims, pad(e));
      if (rec?.submitted || rec?.done) continue;
      const owed = (await this.owedIn(e)).get(r.client);
      const bytes = (owed?.bytes ?? 0n) + (e === r.epoch ? r.bytes : 0n);
      total += deliveryCostAt(bytes, price);
    }
    return total;
  }

  /** Bytes receipted and highest signed total per client in `epoch` (read from the database once, then kept up to date). */
  private async owedIn(epoch: bigint): Promise<Map<string, Owed>> {
    let owed = this.owed.get(epoch);
    if (!owed) {
      owed = new Map();
      for (const r of await this.receiptsOf(epoch)) owed.set(r.client, addReceipt(owed.get(r.client), r));
      this.owed.set(epoch, owed);
    }
    return owed;
  }

  async receiptsOf(epoch: bigint): Promise<Receipt[]> {
    const out: Receipt[] = [];
    for await (const v of this.db.receipts.values(epochKeys(epoch))) out.push(Receipt.decode(v));
    return out;
  }

  /** Called on every new block; does whatever is due (never two passes at once). */
  async tick(height: bigint): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.claimAndProve(height);
      await this.answerStorageChallenges(height);
    } finally {
      this.busy = false;
    }
  }

  private async claimAndProve(height: bigint): Promise<void> {
    const { claimWindow, proofWindow } = this.windows;
    const current = epochOf(this.windows, height);
    // epochs whose claim or proof window can still be open
    const span = (claimWindow + proofWindow) / this.windows.epochLength + 2n;
    const oldest = current > span ? current - span : 0n;
    const open: Array<{ e: bigint; claimEnd: bigint; rec: ClaimRecord }> = [];
    for (let e = oldest; e < current; e++) {
      const rec = (await this.db.getJson<ClaimRecord>(this.db.claims, pad(e))) ?? { epoch: e.toString(), frozen: false, submitted: false, proven: [], done: false };
      if (!rec.done) open.push({ e, claimEnd: epochEnd(this.windows, e) + claimWindow, rec });
    }
    // claims first: a claim window is short, and txs for older epochs must not push the
    // claim of the epoch that just ended out of it
    for (const { e, claimEnd, rec } of open) {
      if (height > claimEnd - claimWindow && height <= claimEnd && !rec.submitted) await this.submitClaim(e, rec);
    }
    for (const { e, claimEnd, rec } of open) {
      const proofEnd = claimEnd + proofWindow;
      // frozen, not only submitted: a crash between the claim's inclusion and the local record must still prove
      if (height > claimEnd && height <= proofEnd + 1n && rec.frozen) await this.submitProofs(e, rec);
      else if (height > proofEnd + 1n) await this.finish(e, rec);
    }
  }

  private async submitClaim(epoch: bigint, rec: ClaimRecord): Promise<void> {
    rec.frozen = true;
    await this.db.putJson(this.db.claims, pad(epoch), rec);
    const receipts = await this.receiptsOf(epoch);
    if (receipts.length === 0) return void (await this.db.putJson(this.db.claims, pad(epoch), { ...rec, done: true }));
    const claim = new EpochClaim(receipts);
    const msg = claim.claim(this.chain.address, this.nodeId, epoch);
    const existing = await this.chain.q.aro.gpow.Claim({ nodeId: this.nodeId, epoch }).catch(() => undefined);
    if (!existing?.claim) {
      await this.chain.send([{ typeUrl: "/aro.gpow.v1.MsgSubmitClaim", value: msg }]);
      this.log.info({ epoch: epoch.toString(), receipts: receipts.length, bytes: claim.totalBytes.toString() }, "delivery claim submitted");
    }
    this.events.onClaim?.(epoch, claim.totalBytes);
    await this.db.putJson(this.db.claims, pad(epoch), { ...rec, submitted: true, root: Buffer.from(msg.root).toString("hex") });
  }

  private async submitProofs(epoch: bigint, rec: ClaimRecord): Promise<void> {
    const res = await this.chain.q.aro.gpow.Claim({ nodeId: this.nodeId, epoch }).catch(() => undefined);
    const onChain = res?.claim;
    if (!onChain) return;
    if (onChain.status !== ClaimStatus.CLAIM_STATUS_PENDING && onChain.status !== ClaimStatus.CLAIM_STATUS_CHALLENGED) return void (await this.finish(epoch, rec));
    if (onChain.openOffsets.length === 0) return;
    // the tree is rebuilt from the durable receipts: same receipts, same root
    const claim = new EpochClaim(await this.receiptsOf(epoch));
    if (Buffer.from(claim.tree.root.hash).toString("hex") !== Buffer.from(onChain.root).toString("hex")) {
      this.log.error({ epoch: epoch.toString() }, "the receipts on disk do not rebuild the claimed root: cannot prove this claim");
      return void (await this.finish(epoch, rec));
    }
    // every open offset in one tx (at most proofs_per_claim ≤ 16): one fee, one wait
    const msgs = onChain.openOffsets.map((offset) => {
      const { receipt, branch } = claim.proof(offset);
      return { typeUrl: "/aro.gpow.v1.MsgSubmitProof", value: { operator: this.chain.address, nodeId: this.nodeId, epoch, offset, receipt, branch } };
    });
    await this.chain.send(msgs);
    rec.proven.push(...onChain.openOffsets.map(String));
    await this.db.putJson(this.db.claims, pad(epoch), rec);
    for (const offset of onChain.openOffsets) this.events.onProof?.(epoch, offset);
    this.log.info({ epoch: epoch.toString(), offsets: onChain.openOffsets.map(String) }, "delivery proofs submitted");
  }

  /** After the proof window: the epoch is settled on chain, its receipts can go. */
  private async finish(epoch: bigint, rec: ClaimRecord): Promise<void> {
    await this.db.putJson(this.db.claims, pad(epoch), { ...rec, frozen: true, done: true });
    await this.db.receipts.clear(epochKeys(epoch));
    this.owed.delete(epoch);
  }

  private async answerStorageChallenges(height: bigint): Promise<void> {
    const epoch = epochOf(this.windows, height);
    const { contents } = await this.chain.q.aro.market.NodeReplicas({ nodeId: this.nodeId });
    const start = epochStart(this.windows, epoch);
    const due: Array<{ key: string; contentId: bigint; chunk: number; segment: number; msg: { typeUrl: string; value: unknown } }> = [];
    for (const c of contents) {
      // challenged once acked, from the next epoch on
      const acked = c.acks.find((a) => a.nodeId === this.nodeId);
      if (!acked || acked.height >= start) continue;
      const key = `${pad(epoch)}/${pad(c.id)}`;
      if ((await this.db.storage.get(key)) !== undefined) continue;
      const ch = await this.chain.q.aro.gpow.StorageChallenge({ nodeId: this.nodeId, contentId: c.id, epoch }).catch(() => undefined);
      if (!ch || ch.answered || height > BigInt(ch.deadline)) continue;
      const m = this.store.manifest(c.root);
      if (!m) continue; // not pinned yet: the pinner fetches it
      const index = Number(ch.chunkIndex);
      const segmentIndex = Number(ch.segmentIndex);
      // the answer is data: the challenged segment read from the (verified) chunk on disk, with both branches
      const answer = storageAnswer(m, this.store.chunk(c.root, index), index, segmentIndex);
      due.push({
        key, contentId: c.id, chunk: index, segment: segmentIndex,
        msg: { typeUrl: "/aro.gpow.v1.MsgSubmitStorageProof", value: { operator: this.chain.address, nodeId: this.nodeId, contentId: c.id, epoch, chunkIndex: ch.chunkIndex, segmentIndex: ch.segmentIndex, ...answer } },
      });
    }
    // many answers per tx (a few KiB each), so a node holding many replicas lands them all within the window
    for (let i = 0; i < due.length; i += STORAGE_PROOFS_PER_TX) {
      const batch = due.slice(i, i + STORAGE_PROOFS_PER_TX);
      try {
        await this.chain.send(batch.map((d) => d.msg));
        for (const d of batch) await this.answered(d, epoch);
      } catch (err) {
        // one answer the chain refuses fails the batch: send them one by one
        for (const d of batch) {
          try {
            await this.chain.send([d.msg]);
            await this.answered(d, epoch);
          } catch (one) {
            const message = (one as Error).message;
            this.log.warn({ content: d.contentId.toString(), epoch: epoch.toString(), err: message }, "storage proof refused");
            // a refusal that will repeat is not retried; anything else (RPC, mempool, balance) is, next block, until the deadline
            if (PERMANENT_STORAGE_REFUSAL.test(message)) await putSync(this.db.storage, d.key, new Uint8Array([1]));
          }
        }
        if (batch.length > 1) this.log.warn({ epoch: epoch.toString(), err: (err as Error).message }, "storage proof batch refused; sent one by one");
      }
    }
  }

  private async answered(d: { key: string; contentId: bigint; chunk: number; segment: number }, epoch: bigint): Promise<void> {
    await putSync(this.db.storage, d.key, new Uint8Array([1]));
    this.events.onStorageProof?.(d.contentId, epoch);
    this.log.info({ content: d.contentId.toString(), epoch: epoch.toString(), chunk: d.chunk, segment: d.segment }, "storage challenge answered");
  }
}
