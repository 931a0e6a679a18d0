import type { DeliveryGrant, GrantUsage, Receipt } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { addressFromBytes } from "../../chain/address.ts";
import { addressBytesOf } from "../../chain/crypto/secp256k1.ts";
import { grantId } from "../../chain/delivery-grant.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import type { GrantRules } from "../../protocol/delivery.ts";
import { epochs } from "../epochs/epochs.ts";
import { gpowErrors } from "./errors.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { gpowStore } from "./store.ts";
import { recordRetention } from "./expected.ts";

/**
 * Delivery grants on chain: a publisher's signed permission for a session key to sign
 * receipts its escrow pays for. The receipts themselves are checked in protocol/ (as every
 * node checks them); here is what needs state: the bytes charged under each grant, kept
 * at or below its cap whatever nodes claim and in whatever order, its revocation, and the
 * deletion of both once no claim can use the grant any more.
 */

/** What a grant's receipt is checked against on this chain. */
export const grantRules = (ctx: Context): GrantRules => ({ chainId: ctx.block.chainId, maxGrantEpochs: k.getParams(ctx.store).maxGrantEpochs });

/**
 * A grant's receipt for `node`: its session key is no key of the node's (the publisher's
 * own is checked as any client's), and its publisher had not revoked it for the receipt's epoch.
 */
export function checkGrantState(state: KVReader, r: Receipt, node: { owner: string; operator: string }): void {
  const g = r.grant!;
  const session = addressFromBytes(addressBytesOf(g.sessionKey));
  if (session === node.owner || session === node.operator) throw gpowErrors.selfDealing.wrap(`the grant's session key is ${session}'s`);
  const u = k.getGrantUsage(state, grantId(g));
  if (u && u.revokedFromEpoch > 0n && r.epoch >= u.revokedFromEpoch) {
    throw gpowErrors.grantRevoked.wrap(`${g.publisher} revoked grant ${u.grantId} from epoch ${u.revokedFromEpoch}, the receipt is for epoch ${r.epoch}`);
  }
}

function usageOf(ctx: Context, g: DeliveryGrant): GrantUsage {
  const id = grantId(g);
  return k.getGrantUsage(ctx.store, id) ?? { grantId: id, publisher: g.publisher, capBytes: g.capBytes, chargedBytes: 0n, expiresEpoch: g.expiresEpoch, revokedFromEpoch: 0n };
}

/**
 * A claim line under grant `g` asks `bytes`: it is charged what the grant's cap has left of
 * them, and that is counted against the cap now (before any other claim), so the claims of
 * every node and epoch together never charge more than cap_bytes. Returns the bytes charged.
 */
export function chargeGrant(ctx: Context, g: DeliveryGrant, bytes: bigint, nodeId: bigint): bigint {
  const u = usageOf(ctx, g);
  const left = u.capBytes - u.chargedBytes;
  const charged = bytes < left ? bytes : left;
  k.setGrantUsage(ctx.store, { ...u, chargedBytes: u.chargedBytes + charged });
  ctx.events.emit("grant_charged", { grant_id: u.grantId, publisher: u.publisher, node_id: nodeId.toString(), asked: bytes.toString(), charged: charged.toString(), charged_total: (u.chargedBytes + charged).toString(), cap: u.capBytes.toString() });
  return charged;
}

/** A void claim charges nothing: its grant lines give back what they counted against their caps. */
export function refundGrant(ctx: Context, g: DeliveryGrant, bytes: bigint): void {
  const u = k.getGrantUsage(ctx.store, grantId(g));
  if (!u || bytes === 0n) return;
  k.setGrantUsage(ctx.store, { ...u, chargedBytes: u.chargedBytes > bytes ? u.chargedBytes - bytes : 0n });
}

/**
 * MsgRevokeDeliveryGrant: receipts of the next epoch and later are refused. The current
 * epoch's still pay (nodes accepted them while the grant stood), so a publisher cannot take
 * back what was delivered. Returns the first refused epoch.
 */
export function revokeGrant(ctx: Context, publisher: string, g: DeliveryGrant): bigint {
  if (g.publisher !== publisher) throw gpowErrors.invalidGrant.wrap(`the grant is ${g.publisher}'s, only its publisher revokes it`);
  const p = k.getParams(ctx.store);
  const epoch = epochs.of(ctx.store, ctx.block.height);
  const from = epoch + 1n;
  if (g.expiresEpoch <= from) throw gpowErrors.grantExpired.wrap(`the grant pays for epochs before ${g.expiresEpoch} and this is epoch ${epoch}: nothing to revoke`);
  // its usage must stay until the grant expires; a grant that far out pays nothing before expires - max_grant_epochs
  if (g.expiresEpoch - from > p.maxGrantEpochs) throw gpowErrors.invalidGrant.wrap(`the grant pays nothing before epoch ${g.expiresEpoch - p.maxGrantEpochs}: revoke it then`);
  const u = usageOf(ctx, g);
  const revoked = u.revokedFromEpoch > 0n && u.revokedFromEpoch <= from ? u.revokedFromEpoch : from;
  k.setGrantUsage(ctx.store, { ...u, revokedFromEpoch: revoked });
  ctx.events.emit("grant_revoked", { grant_id: u.grantId, publisher, from_epoch: revoked.toString() });
  return revoked;
}

/**
 * End block: deletes the usage of grants no claim can use any more, at most
 * max_record_prunes_per_block a block: once every epoch before a grant's expiry is resolved
 * (a claim for a resolved epoch is refused, and the grant refuses later epochs).
 */
export function pruneGrantUsage(ctx: Context): void {
  const budget = recordRetention.budget(ctx.store);
  if (budget <= 0) return;
  for (const [expires, id] of k.grantsExpiringBy(ctx.store, k.resolveEpoch.peek(ctx.store), budget)) k.deleteGrantUsage(ctx.store, expires, id);
}

/** Invariant: no grant was charged above its cap, and each usage is indexed under its expiry (so it is pruned). */
export function grantInvariants(state: KVReader): string[] {
  return k.allGrantUsages(state).flatMap((u) => [
    ...(u.chargedBytes > u.capBytes ? [`gpow/grant_usage: ${u.grantId} charged ${u.chargedBytes} bytes, above its cap ${u.capBytes}`] : []),
    ...(gpowStore.grantExpiries.has(state, [u.expiresEpoch, u.grantId]) ? [] : [`gpow/grant_usage: ${u.grantId} is not indexed under its expiry ${u.expiresEpoch}`]),
  ]);
}
