import { ClaimStatus, Receipt, type Claim, type ClientTotal, type SumBranch } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import type { MsgSubmitClaim } from "../../proto/gen/aro/gpow/v1/tx.ts";
import { validateAddress } from "../../chain/address.ts";
import { payerLine } from "../../chain/delivery-grant.ts";
import { deliveryCostAt, receiptFault, type ReceiptFaultKind } from "../../protocol/delivery.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { leafNode, receiptLeafKey, rootFromBranch } from "../../chain/proofs/sum-tree.ts";
import { SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
import { workSink, marketKeeper, peernodeKeeper } from "./expected.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { chargeGrant, checkGrantState, grantRules, refundGrant } from "./grants.ts";

const faultErrors: Record<ReceiptFaultKind, (typeof gpowErrors)[keyof typeof gpowErrors]> = {
  range: gpowErrors.invalidReceipt, key: gpowErrors.invalidReceipt, signature: gpowErrors.invalidReceiptSignature,
  grant: gpowErrors.invalidGrant, "grant-signature": gpowErrors.invalidGrantSignature, scope: gpowErrors.outOfGrantScope, expired: gpowErrors.grantExpired,
};

/**
 * Checks of a receipt on its own: its byte range, and that its client's key signed it; for a
 * grant's receipt, the grant, its publisher's signature, scope and expiry too (nodes check
 * the same before keeping one).
 */
export function checkReceipt(ctx: Context, r: Receipt): void {
  if (r.grant) ctx.gas.consume(RECEIPT_VERIFY_GAS, "delivery grant signature");
  const fault = receiptFault(r, grantRules(ctx));
  if (fault) throw faultErrors[fault.kind].wrap(fault.reason);
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
    // one line per client, and one per grant of a publisher (its tally carries the grant)
    const line = lineOf(t);
    if (seen.has(line)) throw gpowErrors.invalidClaim.wrap(`client ${line} listed twice`);
    seen.add(line);
    if (t.bytes === 0n) throw gpowErrors.invalidClaim.wrap(`client ${t.client} with zero bytes`);
    sum += t.bytes;
  }
  if (sum !== m.totalBytes) throw gpowErrors.invalidClaim.wrap(`client totals add up to ${sum}, the claim says ${m.totalBytes}`);
}

/** Gas for checking one receipt signature (the SDK's secp256k1 verification cost). */
const RECEIPT_VERIFY_GAS = 1000n;


/** Escrow a delivery of `bytes` asks for at the governed price (uaro, rounded down). */
function deliveryCost(ctx: Context, bytes: bigint): bigint {
  return deliveryCostAt(bytes, decFromString(marketKeeper.getParams(ctx.store).prices!.perGbDelivered));
}

/** The payer line a claim's client total is for: its client, or for a grant's tally the grant (chain/delivery-grant.ts payerLine). */
const lineOf = (t: ClientTotal): string => (t.tally?.grant ? payerLine(t.tally) : t.client);

/** The bytes a listed client can be charged for: its listed bytes, at most its signed running total. */
function chargeableBytes(t: ClientTotal): bigint {
  return t.tally && t.tally.totalBytes < t.bytes ? t.tally.totalBytes : t.bytes;
}

/** What a line is charged for once its claim is accepted: a grant's line what its grant's cap let it have, any other its chargeable bytes. */
const chargedBytes = (t: ClientTotal): bigint => (t.tally?.grant ? t.grantBytes : chargeableBytes(t));

/**
 * A listed client must have signed for the node and epoch: its tally (latest receipt)
 * carries its running total, and it can be charged for no more than that. Returns the
 * bytes it can be charged for.
 */
function checkTally(ctx: Context, node: { id: bigint; owner: string; operator: string }, epoch: bigint, t: ClientTotal): bigint {
  const r = t.tally;
  if (!r) throw gpowErrors.invalidClaim.wrap(`client ${t.client} has no tally: the claim must carry its latest signed receipt`);
  if (r.client !== t.client || r.nodeId !== node.id || r.epoch !== epoch) {
    throw gpowErrors.invalidReceipt.wrap(`the tally of ${t.client} is ${r.client}'s receipt for node ${r.nodeId} epoch ${r.epoch}`);
  }
  if (r.totalBytes < r.bytes) throw gpowErrors.invalidReceipt.wrap(`the tally of ${t.client} has a running total ${r.totalBytes} below its own ${r.bytes} bytes`);
  ctx.gas.consume(RECEIPT_VERIFY_GAS, "receipt signature");
  checkReceipt(ctx, r);
  if (r.client === node.owner || r.client === node.operator) throw gpowErrors.selfDealing.wrap(r.client);
  if (r.grant) checkGrantState(ctx.store, r, node);
  if (!marketKeeper.getEscrow(ctx.store, r.client)) throw gpowErrors.notCustomer.wrap(`${r.client} has no escrow`);
  return chargeableBytes(t);
}

export function submitClaim(ctx: Context, m: MsgSubmitClaim): void {
  const node = peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
  peernodeKeeper.requireBonded(ctx.store, m.nodeId);
  validateClaimShape(m, k.getParams(ctx.store).maxClientsPerClaim);
  const { epochEnd, claimEnd } = k.windows(ctx.store, m.epoch);
  const h = ctx.block.height;
  if (h <= epochEnd || h > claimEnd) throw gpowErrors.outsideWindow.wrap(`claims for epoch ${m.epoch} are accepted at heights ${epochEnd + 1n}..${claimEnd}, this is ${h}`);
  // an epoch whose claims are resolved (and may be pruned) takes none, even if claim_window grew since
  if (m.epoch < k.resolveEpoch.peek(ctx.store)) throw gpowErrors.outsideWindow.wrap(`the claims of epoch ${m.epoch} are already resolved`);
  if (k.getClaim(ctx.store, m.epoch, node.id)) throw gpowErrors.claimExists.wrap(`node ${node.id} epoch ${m.epoch}`);
  // each client's signed total is checked, and what it owes is held until the claim resolves
  const clientTotals = m.clientTotals.map((t) => {
    let chargeable = checkTally(ctx, node, m.epoch, t);
    // a grant's line: what its cap has left, counted against the cap at once (no later claim can have it)
    const grant = t.tally?.grant;
    if (grant) chargeable = chargeGrant(ctx, grant, chargeable, node.id);
    // first from what the client allotted to this node (no other node can draw that), then from the rest
    const held = marketKeeper.holdForNode(ctx, t.client, node.id, deliveryCost(ctx, chargeable));
    return { ...t, held: held.toString(), grantBytes: grant ? chargeable : 0n };
  });
  k.setClaim(ctx.store, {
    nodeId: node.id, epoch: m.epoch, root: m.root, totalBytes: m.totalBytes, count: m.count, clientTotals,
    status: ClaimStatus.CLAIM_STATUS_PENDING, submittedHeight: h, openOffsets: [], customerPaid: "0",
    // the guarantee that backs this claim: whether it must be proven, and what a void costs, are measured on it
    bond: node.guaranteeTokens || "0",
  });
  ctx.events.emit("delivery_claim", { node_id: node.id.toString(), epoch: m.epoch.toString(), total_bytes: m.totalBytes.toString(), count: m.count.toString(), root: Buffer.from(m.root).toString("hex") });
}

/** Checks a receipt and its branch against a claim; throws with the reason it fails. */
export function checkProof(ctx: Context, claim: Claim, offset: bigint, r: Receipt | undefined, branch: SumBranch | undefined): void {
  if (!r || !branch) throw gpowErrors.invalidReceipt.wrap("receipt and branch are required");
  if (r.nodeId !== claim.nodeId || r.epoch !== claim.epoch) throw gpowErrors.invalidReceipt.wrap(`receipt is for node ${r.nodeId} epoch ${r.epoch}`);
  checkReceipt(ctx, r);
  const node = peernodeKeeper.mustNode(ctx.store, claim.nodeId);
  if (r.client === node.owner || r.client === node.operator) throw gpowErrors.selfDealing.wrap(r.client);
  if (r.grant) checkGrantState(ctx.store, r, node);
  if (!marketKeeper.getEscrow(ctx.store, r.client)) throw gpowErrors.notCustomer.wrap(`${r.client} has no escrow`);
  const line = payerLine(r);
  const listed = claim.clientTotals.find((t) => lineOf(t) === line);
  if (!listed || listed.bytes < r.bytes) throw gpowErrors.invalidReceipt.wrap(`the claim does not list ${line} for ${r.bytes} bytes`);
  if (listed.tally && r.totalBytes > listed.tally.totalBytes) throw gpowErrors.invalidReceipt.wrap(`receipt total ${r.totalBytes} is above the client's tally ${listed.tally.totalBytes}`);
  const out = rootFromBranch(receiptLeafKey(r), leafNode(Receipt.encode(r).finish(), r.bytes), { siblings: branch.siblings.map((s) => ({ hash: s.hash, sum: s.sum })), emptyBitmap: branch.emptyBitmap });
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

/**
 * An accepted claim: each client pays what was held for it (never more than it signed
 * for); the payment is the node's delivery income, and only paid bytes count as work.
 */
function acceptClaim(ctx: Context, claim: Claim): void {
  let paid = 0n;
  let paidBytes = 0n;
  for (const t of claim.clientTotals) {
    const held = BigInt(t.held || "0");
    const chargeable = chargedBytes(t);
    const asked = deliveryCost(ctx, chargeable);
    marketKeeper.release(ctx, t.client, held, held, SETTLEMENT_POOL, `delivery by node ${claim.nodeId} in epoch ${claim.epoch}`);
    paid += held;
    // bytes count in proportion to what was paid for them
    paidBytes += asked === 0n ? 0n : (chargeable * held) / asked;
  }
  workSink(ctx).addUsage(ctx, claim.epoch, claim.nodeId, "delivery", paid);
  workSink(ctx).addWork(ctx, claim.epoch, claim.nodeId, { deliveredBytes: paidBytes });
  k.setClaim(ctx.store, { ...claim, status: ClaimStatus.CLAIM_STATUS_ACCEPTED, openOffsets: [], customerPaid: paid.toString() });
  ctx.events.emit("claim_accepted", { node_id: claim.nodeId.toString(), epoch: claim.epoch.toString(), bytes: claim.totalBytes.toString(), paid: paid.toString(), paid_bytes: paidBytes.toString() });
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
    for (const c of batch) {
      const pending = c.status === ClaimStatus.CLAIM_STATUS_PENDING || c.status === ClaimStatus.CLAIM_STATUS_CHALLENGED;
      if (pending && k.needsProof(ctx.store, c, seed)) voidClaim(ctx, c);
      else if (pending || c.status === ClaimStatus.CLAIM_STATUS_ACCEPTED) acceptClaim(ctx, c);
    }
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

/**
 * A claim whose proof is missing or wrong: no client pays (what was held goes back), and
 * the node loses at least delivery_slash_fraction of its bond, and at least what the
 * claim was worth × (1 - p) / p for a claim proven with probability p, so that skipping
 * proofs never pays on average.
 */
function voidClaim(ctx: Context, c: Claim): void {
  let worth = 0n;
  for (const t of c.clientTotals) {
    const held = BigInt(t.held || "0");
    marketKeeper.release(ctx, t.client, held, 0n, SETTLEMENT_POOL, `void claim of node ${c.nodeId} in epoch ${c.epoch}`);
    if (t.tally?.grant) refundGrant(ctx, t.tally.grant, t.grantBytes);
    worth += held;
  }
  k.setClaim(ctx.store, { ...c, status: ClaimStatus.CLAIM_STATUS_VOID });
  const fraction = voidSlashFraction(ctx, c, worth);
  // the offence is the claim: guarantee taken out of the node since it was made is slashed too,
  // and the penalty is measured on the bond the claim was made with
  const burned = peernodeKeeper.slash(ctx, c.nodeId, fraction, `missing delivery proof for epoch ${c.epoch}`, { height: c.submittedHeight, stake: c.bond ? BigInt(c.bond) : undefined });
  ctx.events.emit("claim_void", { node_id: c.nodeId.toString(), epoch: c.epoch.toString(), bytes: c.totalBytes.toString(), worth: worth.toString(), burned: burned.toString() });
}

/**
 * max(delivery_slash_fraction, worth × (1-p)/p ÷ bond) as a fraction (capped at 1) of the
 * bond the claim was made with (claims from before that was recorded: the live bond).
 */
function voidSlashFraction(ctx: Context, c: Claim, worth: bigint): bigint {
  const p = k.getParams(ctx.store);
  const base = decFromString(p.deliverySlashFraction);
  const bond = BigInt(c.bond || peernodeKeeper.mustNode(ctx.store, c.nodeId).guaranteeTokens || "0");
  if (bond === 0n) return base;
  const prob = c.totalBytes >= p.alwaysProveBytes ? DEC_ONE : decFromString(p.proveProbability);
  const penalty = prob === 0n ? bond : (worth * (DEC_ONE - prob)) / prob;
  const scaled = (penalty * DEC_ONE + bond - 1n) / bond;
  const f = scaled > base ? scaled : base;
  return f > DEC_ONE ? DEC_ONE : f;
}

/** Every epoch before this one has all its claims resolved. */
export function claimsResolvedThrough(ctx: Context): bigint {
  return k.resolveEpoch.peek(ctx.store);
}

