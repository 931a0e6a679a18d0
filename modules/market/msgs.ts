import { MsgAckReplica, MsgAckReplicaResponse, MsgAllotEscrow, MsgAllotEscrowResponse, MsgUnallotEscrow, MsgUnallotEscrowResponse, MsgDepositEscrow, MsgDepositEscrowResponse, MsgPublishContent, MsgPublishContentResponse, MsgUpdateParams, MsgWithdrawEscrow, MsgWithdrawEscrowResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import type { Params } from "../../proto/gen/aro/market/v1/market.ts";
import { Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import type { Coin } from "../../proto/gen/cosmos/base/v1beta1/coin.ts";
import { validateAddress } from "../../chain/address.ts";
import { positiveAmountIn } from "../../chain/coins.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { marketErrors } from "./errors.ts";
import { marketHooks, type ChargeWindowHooks, peernodeKeeper, validateRegion } from "./expected.ts";
import { marketKeeper as k } from "./keeper.ts";
import { validateMarketParams } from "./params.ts";
import { decFromString } from "../../chain/dec.ts";
import { epochs } from "../epochs/epochs.ts";
import { enqueue } from "./content-term.ts";
import { termReservation } from "../../protocol/storage-term.ts";
import { mediaTypeProblem } from "../../protocol/media-type.ts";

const M = "/aro.market.v1.";

const amountOf = (ctx: Context, coin: Coin | undefined) => positiveAmountIn(coin, k.denom(ctx.store));

const deposit = msgRoute<MsgDepositEscrow>({
  typeUrl: M + "MsgDepositEscrow",
  type: MsgDepositEscrow,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    const e = k.deposit(ctx, m.owner, amount);
    ctx.events.emit("escrow_deposit", { owner: m.owner, amount: amount.toString(), balance: e.balance });
    return reply(M + "MsgDepositEscrowResponse", MsgDepositEscrowResponse, {});
  },
});

const withdraw = msgRoute<MsgWithdrawEscrow>({
  typeUrl: M + "MsgWithdrawEscrow",
  type: MsgWithdrawEscrow,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    // paid once every window that could still charge work done until now has closed
    let unlock = ctx.block.height;
    for (const h of marketHooks<ChargeWindowHooks>(ctx, "chargeableUntil")) {
      const until = h.chargeableUntil(ctx.store, ctx.block.height);
      if (until > unlock) unlock = until;
    }
    const e = k.requestWithdrawal(ctx, m.owner, amount, unlock);
    ctx.events.emit("escrow_withdraw", { owner: m.owner, amount: amount.toString(), balance: e.balance, unlock_height: unlock.toString() });
    return reply(M + "MsgWithdrawEscrowResponse", MsgWithdrawEscrowResponse, { unlockHeight: unlock });
  },
});

/** The height until which work done now can still be charged (every gpow claim window open now closes by it). */
function chargeableUntil(ctx: Context): bigint {
  let unlock = ctx.block.height;
  for (const h of marketHooks<ChargeWindowHooks>(ctx, "chargeableUntil")) {
    const until = h.chargeableUntil(ctx.store, ctx.block.height);
    if (until > unlock) unlock = until;
  }
  return unlock;
}

/**
 * Allots part of the escrow to one node: only that node's delivery claims draw it, so the
 * node's agent can serve up to it and be sure of being paid (see README, economics).
 */
const allot = msgRoute<MsgAllotEscrow>({
  typeUrl: M + "MsgAllotEscrow",
  type: MsgAllotEscrow,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    peernodeKeeper.mustRegistered(ctx.store, m.nodeId);
    const a = k.allot(ctx, m.owner, m.nodeId, amount);
    ctx.events.emit("escrow_allot", { owner: m.owner, node_id: m.nodeId.toString(), amount: amount.toString(), allotted: a.amount });
    return reply(M + "MsgAllotEscrowResponse", MsgAllotEscrowResponse, {});
  },
});

/** Takes an allotment back: it thaws (still drawable by the node's claims) until the claim windows open now have closed. */
const unallot = msgRoute<MsgUnallotEscrow>({
  typeUrl: M + "MsgUnallotEscrow",
  type: MsgUnallotEscrow,
  signers: (m) => [m.owner],
  validate: (m) => void validateAddress(m.owner, "owner"),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    const unlock = chargeableUntil(ctx);
    const a = k.unallot(ctx, m.owner, m.nodeId, amount, unlock);
    ctx.events.emit("escrow_unallot", { owner: m.owner, node_id: m.nodeId.toString(), amount: amount.toString(), thawing: a.thawing, unlock_height: unlock.toString() });
    return reply(M + "MsgUnallotEscrowResponse", MsgUnallotEscrowResponse, { unlockHeight: unlock });
  },
});

/**
 * Publishes content for a paid term and assigns its replicas to CDN nodes drawn from the
 * block's beacon seed, preferring the asked regions. The whole term's storage (size × replication ×
 * epochs at per_gb_epoch_stored) is held from the publisher's escrow now.
 */
const publish = msgRoute<MsgPublishContent>({
  typeUrl: M + "MsgPublishContent",
  type: MsgPublishContent,
  signers: (m) => [m.owner],
  validate(m) {
    validateAddress(m.owner, "owner");
    if (!/^[0-9a-f]{64}$/.test(m.root)) throw marketErrors.invalidContent.wrap("root must be 64 lower-case hex digits (sha256 merkle root of the chunk hashes)");
    if (m.size === 0n) throw marketErrors.invalidContent.wrap("size must be positive");
    if (m.replication === 0) throw marketErrors.invalidContent.wrap("replication must be positive");
    if (m.epochs === 0n) throw marketErrors.invalidTerm.wrap("epochs (the storage term) must be positive");
    const mediaType = mediaTypeProblem(m.mediaType);
    if (mediaType) throw marketErrors.invalidMediaType.wrap(mediaType);
  },
  handle(ctx, m) {
    const params = k.getParams(ctx.store);
    if (m.size > params.maxContentSize) throw marketErrors.invalidContent.wrap(`size ${m.size} > ${params.maxContentSize}`);
    if (m.replication > params.maxReplication) throw marketErrors.invalidContent.wrap(`replication ${m.replication} > ${params.maxReplication}`);
    if (m.epochs > params.maxContentTerm) throw marketErrors.invalidTerm.wrap(`epochs ${m.epochs} > max_content_term ${params.maxContentTerm}`);
    for (const r of m.regions) validateRegion(r, peernodeKeeper.getParams(ctx.store));
    if (!k.getEscrow(ctx.store, m.owner)) throw marketErrors.noEscrow.wrap(`${m.owner}: deposit to an escrow before publishing (storage is paid from it)`);
    if (k.contentByRoot(ctx.store, m.root) !== undefined) throw marketErrors.contentExists.wrap(m.root);
    const id = k.contentIds.next(ctx.store);
    const seed = ctx.block.seed ?? new Uint8Array(32);
    const replicas = peernodeKeeper.pickNodes(ctx.store, Service.SERVICE_CDN, m.regions, m.replication, new Uint8Array([...seed, ...new TextEncoder().encode(`content:${id}`)]));
    if (replicas.length === 0) throw marketErrors.noNodes.wrap("no active CDN node is registered");
    const chunkCount = (m.size + BigInt(params.chunkSize) - 1n) / BigInt(params.chunkSize);
    // paid for the replicas actually assigned
    const reserved = termReservation(m.size, decFromString(params.prices!.perGbEpochStored), replicas.length, m.epochs);
    k.hold(ctx, m.owner, reserved, `${m.epochs} epochs of storage for ${replicas.length} replicas`);
    const expiresHeight = epochs.end(ctx.store, epochs.of(ctx.store, ctx.block.height) + m.epochs);
    k.setContent(ctx.store, {
      id, owner: m.owner, root: m.root, size: m.size, chunkSize: params.chunkSize, chunkCount, replication: m.replication,
      regions: m.regions, replicas, publishedHeight: ctx.block.height, epochs: m.epochs, expiresHeight, reserved: reserved.toString(), acks: [], expired: false,
      mediaType: m.mediaType,
    });
    enqueue(ctx, ctx.block.height + params.ackWindow, id, "ack");
    enqueue(ctx, expiresHeight, id, "expire");
    ctx.events.emit("publish_content", {
      content_id: id.toString(), owner: m.owner, root: m.root, size: m.size.toString(), replicas: replicas.join(","),
      epochs: m.epochs.toString(), expires_height: expiresHeight.toString(), reserved: reserved.toString(),
    });
    return reply(M + "MsgPublishContentResponse", MsgPublishContentResponse, { contentId: id, replicas });
  },
});

/** A node's operator says it received and verified its replica: challenged from the next epoch on. */
const ack = msgRoute<MsgAckReplica>({
  typeUrl: M + "MsgAckReplica",
  type: MsgAckReplica,
  signers: (m) => [m.operator],
  validate: (m) => void validateAddress(m.operator, "operator"),
  handle(ctx, m) {
    peernodeKeeper.requireOperator(ctx.store, m.nodeId, m.operator);
    const c = k.mustContent(ctx.store, m.contentId);
    if (c.expired) throw marketErrors.contentExpired.wrap(`content ${c.id}`);
    if (!c.replicas.includes(m.nodeId)) throw marketErrors.notReplica.wrap(`node ${m.nodeId}, content ${c.id}`);
    if (c.acks.some((a) => a.nodeId === m.nodeId)) throw marketErrors.alreadyAcked.wrap(`node ${m.nodeId}, content ${c.id}`);
    k.setContent(ctx.store, { ...c, acks: [...c.acks, { nodeId: m.nodeId, height: ctx.block.height }] });
    ctx.events.emit("replica_acked", { content_id: c.id.toString(), node_id: m.nodeId.toString() });
    return reply(M + "MsgAckReplicaResponse", MsgAckReplicaResponse, {});
  },
});

export const marketMsgs: MsgRoute[] = [
  deposit, withdraw, allot, unallot, publish, ack,
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validateMarketParams, set: (s, p) => k.setParams(s, p) }),
];
