import type { Logger } from "pino";
import { Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { deliveryCostAt, receiptFault, type ReceiptFaultKind } from "../../protocol/delivery.ts";
import { receiptLeafKey } from "../../chain/proofs/sum-tree.ts";
import { payerLine } from "../../chain/delivery-grant.ts";
import { MAX_TX_BYTES } from "../../chain/tx/decode.ts";
import { decFromString } from "../../chain/dec.ts";
import type { ChainClient } from "../runtime/chain-client.ts";
import type { WorkerComponents } from "../runtime/components.ts";
import { pad, putSync, type AgentDb } from "../runtime/state-db.ts";
import type { Blockstore } from "../../client/content/blockstore.ts";
import { answerStorageChallenges } from "./storage-challenges.ts";
import { epochEnd, epochOf, type Windows } from "./windows.ts";
import type { ReceiptSink } from "../dts/service.ts";
import { EpochClaim } from "./epoch-claim.ts";
import { submitDeliveryProofs, type ClaimRecord } from "./delivery-proofs.ts";
import { checkGrantIntake } from "./grant-intake.ts";

export { epochEnd, epochOf, epochStart, type Windows } from "./windows.ts";

/**
 * A payer line's receipts to this node in one epoch (a client's, or a publisher's under one
 * grant: chain/delivery-grant.ts payerLine): who pays, their bytes, the highest running total
 * signed, and the largest receipt's encoded size (what its tally adds to the claim tx).
 */
interface Owed {
  client: string;
  bytes: bigint;
  maxTotal: bigint;
  tallySize: number;
}
const addReceipt = (o: Owed | undefined, r: Receipt): Owed => {
  const size = Receipt.encode(r).finish().length;
  return {
    client: r.client,
    bytes: (o?.bytes ?? 0n) + r.bytes,
    maxTotal: o && o.maxTotal > r.totalBytes ? o.maxTotal : r.totalBytes,
    tallySize: o && o.tallySize > size ? o.tallySize : size,
  };
};
/** Bytes a claim's tallies may take: the tx limit less room for the rest of the claim, the tx body, auth info and signature. */
const CLAIM_TALLY_BUDGET = MAX_TX_BYTES - 16 * 1024;
/** What one line adds to a claim besides its tally (client, bytes, field tags). */
const LINE_OVERHEAD = 80;

/** What a node says when it refuses a receipt, by fault. */
const FAULT_TEXT: Record<ReceiptFaultKind, string> = {
  range: "invalid receipt", key: "invalid receipt", signature: "receipt signature does not verify", grant: "invalid delivery grant",
  "grant-signature": "delivery grant is not signed by its publisher", scope: "content is not in the delivery grant's scope", expired: "delivery grant has expired",
};

/** Receipt keys of one epoch ("<epoch>/<leaf key>"; "0" sorts right after "/"). */
const epochKeys = (epoch: bigint) => ({ gte: `${pad(epoch)}/`, lt: `${pad(epoch)}0` });

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
    // a grant's receipt is checked against the chain's id and max_grant_epochs
    const maxGrantEpochs = r.grant ? ((await this.chain.q.aro.gpow.Params({})).params?.maxGrantEpochs ?? 0n) : 0n;
    const fault = receiptFault(r, { chainId: this.chain.chainId, maxGrantEpochs });
    if (fault) throw new Error(`${fault.reason}: ${FAULT_TEXT[fault.kind]}`);
    if (r.client === this.owner || r.client === this.chain.address) throw new Error("a node's own account cannot sign its receipts (self-dealing)");
    const height = await this.chain.height();
    const current = epochOf(this.windows, height + 1n);
    // the epoch that just ended is still fine until the claim for it is made
    if (r.epoch !== current && r.epoch + 1n !== current) throw new Error(`receipt is for epoch ${r.epoch}, the current epoch is ${current}`);
    const rec = await this.db.getJson<ClaimRecord>(this.db.claims, pad(r.epoch));
    if (rec?.frozen) throw new Error(`epoch ${r.epoch} is already claimed`);
    const key = `${pad(r.epoch)}/${receiptLeafKey(r).toString(16).padStart(16, "0")}`;
    if ((await this.db.receipts.get(key)) !== undefined) throw new Error(`duplicate receipt: ${r.client} nonce ${r.nonce}`);
    const owed = await this.owedIn(r.epoch);
    await this.requireClaimable(r, owed);
    await putSync(this.db.receipts, key, Receipt.encode(r).finish());
    owed.set(payerLine(r), addReceipt(owed.get(payerLine(r)), r));
    this.events.onReceipt?.(r);
  }

  /**
   * Only receipts the chain will take into a claim and that are sure to be paid: from a
   * client with an escrow, whose allotment to this node (not what is thawing out of it)
   * covers everything it owes this node in epochs not yet claimed on chain, this receipt
   * included; and no more clients than a claim may list, nor tallies than fit its tx. A
   * grant's receipt also within what its grant has left (grant-intake.ts). (One receipt the chain refuses at
   * proof time would void the whole claim.) Only this node's claims can draw the
   * allotment, and what the client takes back stays drawable until the claim windows open
   * now have closed, so every receipt kept here is paid if its claim is made in time.
   */
  private async requireClaimable(r: Receipt, owed: ReadonlyMap<string, Owed>): Promise<void> {
    const before = owed.get(payerLine(r));
    const after = addReceipt(before, r);
    // the chain charges a client at most its highest signed running total: it must cover every byte kept
    if (r.totalBytes < r.bytes || after.maxTotal < after.bytes) {
      throw new Error(`receipt total_bytes ${r.totalBytes} does not cover what ${r.client} has receipted to this node in epoch ${r.epoch}: sign total_bytes of at least ${after.bytes}`);
    }
    const [market, gpow] = await Promise.all([this.chain.q.aro.market.Params({}), this.chain.q.aro.gpow.Params({})]);
    if (!before && owed.size >= (gpow.params?.maxClientsPerClaim ?? 0)) {
      throw new Error(`this node's claim for epoch ${r.epoch} already lists ${owed.size} clients, the most a claim may list`);
    }
    const tallies = [...owed.values()].reduce((n, o) => n + o.tallySize + LINE_OVERHEAD, 0) - (before ? before.tallySize + LINE_OVERHEAD : 0);
    if (tallies + after.tallySize + LINE_OVERHEAD > CLAIM_TALLY_BUDGET) {
      throw new Error(`this node's claim for epoch ${r.epoch} already carries ${owed.size} tallies (${tallies} bytes): no more fit in its tx`);
    }
    let escrow;
    try {
      escrow = (await this.chain.q.aro.market.Escrow({ owner: r.client })).escrow;
    } catch (err) {
      if (!/not found|no escrow/i.test((err as Error).message)) throw new Error(`cannot check the escrow of ${r.client}: ${(err as Error).message}`);
    }
    if (!escrow) throw new Error(`client ${r.client} has no escrow on chain: the chain refuses its receipts`);
    const price = decFromString(market.params?.prices?.perGbDelivered ?? "0");
    const { cost: exposure, lineBytes } = await this.unclaimed(r, price);
    if (r.grant) await checkGrantIntake(this.chain, { owner: this.owner }, r, lineBytes);
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
   * epoch and payer line, as the chain holds it: deliveryCostAt(the line's bytes in that
   * epoch). And the bytes of `r`'s own line over those epochs (what a grant's cap must cover).
   */
  private async unclaimed(r: Receipt, price: bigint): Promise<{ cost: bigint; lineBytes: bigint }> {
    const height = await this.chain.height();
    const current = epochOf(this.windows, height + 1n);
    const span = (this.windows.claimWindow + this.windows.proofWindow) / this.windows.epochLength + 2n;
    const from = r.epoch < current ? r.epoch - span : current - span;
    const line = payerLine(r);
    let cost = 0n;
    let lineBytes = 0n;
    for (let e = from < 0n ? 0n : from; e <= (r.epoch > current ? r.epoch : current); e++) {
      const rec = await this.db.getJson<ClaimRecord>(this.db.claims, pad(e));
      if (rec?.submitted || rec?.done) continue;
      const owed = await this.owedIn(e);
      if (e === r.epoch && !owed.has(line)) cost += deliveryCostAt(r.bytes, price);
      for (const [key, o] of owed) {
        if (o.client !== r.client) continue;
        const bytes = o.bytes + (e === r.epoch && key === line ? r.bytes : 0n);
        cost += deliveryCostAt(bytes, price);
        if (key === line) lineBytes += bytes;
      }
      if (e === r.epoch && !owed.has(line)) lineBytes += r.bytes;
    }
    return { cost, lineBytes };
  }

  /** Bytes receipted and highest signed total per payer line in `epoch` (read from the database once, then kept up to date). */
  private async owedIn(epoch: bigint): Promise<Map<string, Owed>> {
    let owed = this.owed.get(epoch);
    if (!owed) {
      owed = new Map();
      for (const r of await this.receiptsOf(epoch)) owed.set(payerLine(r), addReceipt(owed.get(payerLine(r)), r));
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
      await answerStorageChallenges({ chain: this.chain, db: this.db, store: this.store, log: this.log, nodeId: this.nodeId, windows: this.windows, events: this.events }, height);
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
      if (height > claimEnd && height <= proofEnd + 1n && rec.frozen) await submitDeliveryProofs({ chain: this.chain, db: this.db, log: this.log, nodeId: this.nodeId, events: this.events, receiptsOf: (epoch) => this.receiptsOf(epoch), finish: (epoch, r) => this.finish(epoch, r) }, e, rec);
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

  /** After the proof window: the epoch is settled on chain, its receipts can go. */
  private async finish(epoch: bigint, rec: ClaimRecord): Promise<void> {
    await this.db.putJson(this.db.claims, pad(epoch), { ...rec, frozen: true, done: true });
    await this.db.receipts.clear(epochKeys(epoch));
    this.owed.delete(epoch);
  }
}
