import { ClaimStatus, Receipt, type Claim, type SumBranch } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { MsgSubmitClaim } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { addressFromBytes, validateAddress } from "../../chain/address.ts";
import { addressBytesOf, verifySecp256k1 } from "../../chain/crypto/secp256k1.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { leafNode, receiptKey, rootFromBranch } from "../../chain/proofs/sum-tree.ts";
import { marketKeeper } from "../market/keeper.ts";
import { GB } from "../market/params.ts";
import { peernodeKeeper } from "../peernode/keeper.ts";
import { SETTLEMENT_POOL } from "../settlement/keys.ts";
import { settlementWork } from "../settlement/work.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";

/** The bytes a client signs: the receipt with an empty signature. */
export function receiptSignBytes(r: Receipt): Uint8Array {
  return Receipt.encode({ ...r, signature: new Uint8Array() }).finish();
}

/** Stateless checks of a receipt: its byte range, and that its client's key signed it (nodes check the same before keeping one). */
export function checkReceiptSignature(r: Receipt): void {
  if (r.rangeEnd <= r.rangeStart || r.bytes !== r.rangeEnd - r.rangeStart) throw gpowErrors.invalidReceipt.wrap("bytes must equal range_end - range_start > 0");
  if (r.clientPubkey.length !== 33) throw gpowErrors.invalidReceipt.wrap("client_pubkey must be a 33-byte compressed secp256k1 key");
  if (addressFromBytes(addressBytesOf(r.clientPubkey)) !== r.client) throw gpowErrors.invalidReceipt.wrap("client_pubkey does not belong to client");
  if (!verifySecp256k1(receiptSignBytes(r), r.signature, r.clientPubkey)) throw gpowErrors.invalidReceiptSignature.wrap(`receipt of ${r.client} nonce ${r.nonce}`);
}

/** Stateless checks of a claim (sums, clients). */
export function validateClaimShape(m: MsgSubmitClaim, maxClients: number): void {
  if (m.root.length !== 32) throw gpowErrors.invalidClaim.wrap("root must be 32 bytes");
  if (m.totalBytes === 0n || m.count === 0n) throw gpowErrors.invalidClaim.wrap("a claim needs at least one receipt and one byte");
  if (m.clientTotals.length === 0 || m.clientTotals.length > maxClients) throw gpowErrors.invalidClaim.wrap(`1 to ${maxClients} client totals`);
  const seen = new Set<string>();
  let sum = 0n;
  for (const t of m.clientTotals) {
    validateAddress(t.client, "client");
    if (seen.has(t.client)) throw gpowErrors.invalidClaim.wrap(`client ${t.client} listed twice`);
    seen.add(t.client);
    if (t.bytes === 0n) throw gpowErrors.invalidClaim.wrap(`client ${t.client} with zero bytes`);
    sum += t.bytes;
  }
  if (sum !== m.totalBytes) throw gpowErrors.invalidClaim.wrap(`client totals add up to ${sum}, the claim says ${m.totalBytes}`);
}

export function submitClaim(ctx: Context, m: MsgSubmitClaim): void {
  const node = peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  validateClaimShape(m, k.getParams(ctx.store).maxClientsPerClaim);
  const { epochEnd, claimEnd } = k.windows(ctx.store, m.epoch);
  const h = ctx.block.height;
  if (h <= epochEnd || h > claimEnd) throw gpowErrors.outsideWindow.wrap(`claims for epoch ${m.epoch} are accepted at heights ${epochEnd + 1n}..${claimEnd}, this is ${h}`);
  if (k.getClaim(ctx.store, m.epoch, node.id)) throw gpowErrors.claimExists.wrap(`node ${node.id} epoch ${m.epoch}`);
  k.setClaim(ctx.store, {
    nodeId: node.id, epoch: m.epoch, root: m.root, totalBytes: m.totalBytes, count: m.count, clientTotals: m.clientTotals,
    status: ClaimStatus.CLAIM_STATUS_PENDING, submittedHeight: h, openOffsets: [], customerPaid: "0",
  });
  ctx.events.emit("delivery_claim", { node_id: node.id.toString(), epoch: m.epoch.toString(), total_bytes: m.totalBytes.toString(), count: m.count.toString(), root: Buffer.from(m.root).toString("hex") });
}

/** Checks a receipt and its branch against a claim; throws with the reason it fails. */
export function checkProof(ctx: Context, claim: Claim, offset: bigint, r: Receipt | undefined, branch: SumBranch | undefined): void {
  if (!r || !branch) throw gpowErrors.invalidReceipt.wrap("receipt and branch are required");
  if (r.nodeId !== claim.nodeId || r.epoch !== claim.epoch) throw gpowErrors.invalidReceipt.wrap(`receipt is for node ${r.nodeId} epoch ${r.epoch}`);
  checkReceiptSignature(r);
  const node = peernodeKeeper.mustNode(ctx.store, claim.nodeId);
  if (r.client === node.owner || r.client === node.operator) throw gpowErrors.selfDealing.wrap(r.client);
  if (!marketKeeper.getEscrow(ctx.store, r.client)) throw gpowErrors.notCustomer.wrap(`${r.client} has no escrow`);
  const listed = claim.clientTotals.find((t) => t.client === r.client);
  if (!listed || listed.bytes < r.bytes) throw gpowErrors.invalidReceipt.wrap(`the claim does not list ${r.client} for ${r.bytes} bytes`);
  const out = rootFromBranch(receiptKey(r.client, r.nonce), leafNode(Receipt.encode(r).finish(), r.bytes), { siblings: branch.siblings.map((s) => ({ hash: s.hash, sum: s.sum })), emptyBitmap: branch.emptyBitmap });
  if (!out || out.root.sum !== claim.totalBytes || Buffer.compare(Buffer.from(out.root.hash), Buffer.from(claim.root)) !== 0) {
    throw gpowErrors.invalidBranch.wrap(out ? `recomputed total ${out.root.sum} (claim ${claim.totalBytes}) or root differs` : "malformed branch");
  }
  if (offset < out.start || offset >= out.start + r.bytes) throw gpowErrors.invalidBranch.wrap(`the leaf covers bytes ${out.start}..${out.start + r.bytes}, not offset ${offset}`);
}

/** A proof for one asked-for offset; the claim is accepted once every offset is proven. */
export function submitProof(ctx: Context, operator: string, nodeId: bigint, epoch: bigint, offset: bigint, r: Receipt | undefined, branch: SumBranch | undefined): boolean {
  peernodeKeeper.requireOperator(ctx.store, nodeId, operator);
  const claim = k.getClaim(ctx.store, epoch, nodeId);
  if (!claim) throw gpowErrors.claimNotFound.wrap(`node ${nodeId} epoch ${epoch}`);
  const { claimEnd, proofEnd } = k.windows(ctx.store, epoch);
  const seed = k.proofSeed(ctx.store, epoch);
  if (ctx.block.height <= claimEnd || ctx.block.height > proofEnd || !seed) throw gpowErrors.outsideWindow.wrap(`proofs for epoch ${epoch} are accepted at heights ${claimEnd + 1n}..${proofEnd}`);
  if (claim.status !== ClaimStatus.CLAIM_STATUS_PENDING && claim.status !== ClaimStatus.CLAIM_STATUS_CHALLENGED) throw gpowErrors.alreadyDone.wrap(`claim is ${ClaimStatus[claim.status]}`);
  if (!k.needsProof(ctx.store, claim, seed)) throw gpowErrors.unexpectedProof.wrap("this claim was not selected for a proof");
  const due = claim.status === ClaimStatus.CLAIM_STATUS_CHALLENGED ? claim.openOffsets : k.proofOffsets(ctx.store, claim, seed);
  if (!due.includes(offset)) throw gpowErrors.unexpectedProof.wrap(`offsets due: ${due.join(", ")}`);
  checkProof(ctx, claim, offset, r, branch);
  const left = due.filter((o) => o !== offset);
  k.setClaim(ctx.store, { ...claim, status: left.length ? ClaimStatus.CLAIM_STATUS_CHALLENGED : ClaimStatus.CLAIM_STATUS_ACCEPTED, openOffsets: left });
  ctx.events.emit("delivery_proof", { node_id: nodeId.toString(), epoch: epoch.toString(), offset: offset.toString(), client: r!.client, nonce: r!.nonce.toString() });
  return left.length === 0;
}

/** An accepted claim: its bytes become verified work (its clients are charged by chargeClients). */
function acceptClaim(ctx: Context, claim: Claim): void {
  settlementWork.addWork(ctx, claim.epoch, claim.nodeId, { deliveredBytes: claim.totalBytes });
  k.setClaim(ctx.store, { ...claim, status: ClaimStatus.CLAIM_STATUS_ACCEPTED, openOffsets: [] });
  ctx.events.emit("claim_accepted", { node_id: claim.nodeId.toString(), epoch: claim.epoch.toString(), bytes: claim.totalBytes.toString() });
}

/**
 * Clients of a batch of accepted claims pay per GB into the epoch's pool: one escrow
 * charge per client for the whole batch (bounded work), each claim recording its share.
 */
function chargeClients(ctx: Context, epoch: bigint, accepted: readonly Claim[]): void {
  if (accepted.length === 0) return;
  const price = decFromString(marketKeeper.getParams(ctx.store).prices!.perGbDelivered);
  const asked = new Map<string, bigint>();
  const ask = (t: { bytes: bigint }) => (t.bytes * price) / (GB * DEC_ONE);
  for (const c of accepted) for (const t of c.clientTotals) asked.set(t.client, (asked.get(t.client) ?? 0n) + ask(t));
  const paid = new Map<string, bigint>();
  let total = 0n;
  for (const client of [...asked.keys()].sort()) {
    const p = marketKeeper.charge(ctx, client, asked.get(client)!, SETTLEMENT_POOL, `delivery in epoch ${epoch}`);
    paid.set(client, p);
    total += p;
  }
  settlementWork.fundEpoch(ctx, epoch, total);
  for (const c of accepted) {
    // a client whose escrow ran dry paid each claim in proportion to what it asked
    const share = c.clientTotals.reduce((s, t) => s + (asked.get(t.client)! === 0n ? 0n : (ask(t) * paid.get(t.client)!) / asked.get(t.client)!), 0n);
    k.setClaim(ctx.store, { ...k.getClaim(ctx.store, c.epoch, c.nodeId)!, customerPaid: share.toString() });
  }
}

/**
 * End of block: after an epoch's proof window, each of its claims is accepted (proven or
 * not selected) or voided with a slash, at most max_resolutions_per_block per block.
 * Settlement of the epoch waits until this is done (`claimsResolvedThrough`).
 */
export function resolveClaims(ctx: Context): void {
  let budget = k.getParams(ctx.store).maxResolutionsPerBlock;
  for (;;) {
    const epoch = k.resolveEpoch.peek(ctx.store);
    const { proofEnd } = k.windows(ctx.store, epoch);
    if (ctx.block.height <= proofEnd) return;
    const cursor = k.resolveCursor.peek(ctx.store);
    const batch = k.claimsFrom(ctx.store, epoch, cursor, budget);
    const seed = k.proofSeed(ctx.store, epoch) ?? new Uint8Array(32);
    const accepted: Claim[] = [];
    for (const c of batch) {
      const pending = c.status === ClaimStatus.CLAIM_STATUS_PENDING || c.status === ClaimStatus.CLAIM_STATUS_CHALLENGED;
      if (pending && k.needsProof(ctx.store, c, seed)) voidClaim(ctx, c);
      else if (pending || c.status === ClaimStatus.CLAIM_STATUS_ACCEPTED) {
        acceptClaim(ctx, c);
        accepted.push(c);
      }
    }
    chargeClients(ctx, epoch, accepted);
    budget -= batch.length;
    if (budget <= 0 && batch.length > 0) {
      k.resolveCursor.set(ctx.store, batch[batch.length - 1].nodeId + 1n);
      return;
    }
    k.resolveEpoch.set(ctx.store, epoch + 1n);
    k.resolveCursor.set(ctx.store, 0n);
    ctx.events.emit("claims_resolved", { epoch: epoch.toString() });
    if (budget <= 0) return;
  }
}

function voidClaim(ctx: Context, c: Claim): void {
  k.setClaim(ctx.store, { ...c, status: ClaimStatus.CLAIM_STATUS_VOID });
  const burned = peernodeKeeper.slash(ctx, c.nodeId, decFromString(k.getParams(ctx.store).deliverySlashFraction), `missing delivery proof for epoch ${c.epoch}`);
  ctx.events.emit("claim_void", { node_id: c.nodeId.toString(), epoch: c.epoch.toString(), bytes: c.totalBytes.toString(), burned: burned.toString() });
}

/** Every epoch before this one has all its claims resolved. */
export function claimsResolvedThrough(ctx: Context): bigint {
  return k.resolveEpoch.peek(ctx.store);
}

