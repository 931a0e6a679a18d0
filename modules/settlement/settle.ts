import { EpochPhase, type EpochSettlement } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { NodeStatus, type Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString, decToString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { FEE_COLLECTOR, WATCHER_REWARD_POOL as WATCHER_REWARDS, moduleAddress, PEERNODE_REWARD_POOL as NODE_REWARDS, SETTLEMENT_POOL } from "../../chain/module-accounts.ts";
import { epochs } from "../epochs/epochs.ts";
import { settlementSources, type SettlementSources, bankKeeper, mintKeeper, blockProvision } from "./expected.ts";
import { settlementParams } from "./params.ts";
import { pad } from "./keys.ts";
import { settlementStore as c } from "./store.ts";
import {
  appliedNatFactor, appliedRegionFactor, latencyFactor, measuredNatFactor, measuredRegionFactor, natFactor, regionFactor, regionVerified, rewardOf, score, storageFactor, usageIncome, workValue,
} from "./score.ts";
import { settlementWork as w } from "./work.ts";


/** Begin block (after mint): the governed share of this block's inflation funds the current epoch's node rewards. */
export function fundFromInflation(ctx: Context): void {
  const share = decFromString(settlementParams.get(ctx.store).inflationShare);
  if (share === 0n) return;
  const minted = blockProvision(BigInt(mintKeeper.getMinter(ctx.store).annualProvisions), mintKeeper.getParams(ctx.store));
  const denom = mintKeeper.getParams(ctx.store).mintDenom;
  const available = bankKeeper.getBalance(ctx.store, moduleAddress(FEE_COLLECTOR), denom);
  let amount = (minted * share) / DEC_ONE;
  if (amount > available) amount = available;
  if (amount === 0n) return;
  bankKeeper.sendCoins(ctx, moduleAddress(FEE_COLLECTOR), moduleAddress(SETTLEMENT_POOL), [{ denom, amount }]);
  w.fundEpoch(ctx, epochs.of(ctx.store, ctx.block.height), amount);
}

/** The oldest epoch not settled yet (every earlier one is scored and paid). */
export function nextToSettle(state: KVReader): bigint {
  return c.nextToSettle.peek(state);
}

/** Blocks after an epoch's end until its last window (claims and proofs, attestations) closes. */
export function windowBlocks(ctx: Context, src: SettlementSources): bigint {
  const g = src.gpow.params(ctx.store);
  const attest = src.watcher.params(ctx.store).attestWindow;
  return g.claimWindow + g.proofWindow > attest ? g.claimWindow + g.proofWindow : attest;
}

/** Height after which every window of epoch e is closed and its claims resolved. */
function readyAt(ctx: Context, src: SettlementSources, epoch: bigint): bigint {
  return epochs.end(ctx.store, epoch) + windowBlocks(ctx, src);
}

/** End block: advances the oldest unsettled epoch by at most nodes_per_block nodes. */
export function settleEpochs(ctx: Context): void {
  const src = settlementSources(ctx);
  const epoch = nextToSettle(ctx.store);
  if (ctx.block.height <= readyAt(ctx, src, epoch) || src.gpow.claimsResolvedThrough(ctx) <= epoch) return;
  const s = w.getEpoch(ctx.store, epoch);
  const budget = settlementParams.get(ctx.store).nodesPerBlock;
  if (s.phase === EpochPhase.EPOCH_PHASE_OPEN || s.phase === EpochPhase.EPOCH_PHASE_SCORING) scoreNodes(ctx, src, { ...s, phase: EpochPhase.EPOCH_PHASE_SCORING }, budget);
  else if (s.phase === EpochPhase.EPOCH_PHASE_PAYING) payNodes(ctx, src, s, budget);
}

function scoreNodes(ctx: Context, src: SettlementSources, s: EpochSettlement, budget: number): void {
  const nodes = src.peernode.nodesFrom(ctx.store, s.cursor, budget);
  let total = decFromString(s.totalScore);
  let scored = s.nodesScored;
  for (const n of nodes) {
    const sc = scoreNode(ctx, src, s.epoch, n);
    if (sc !== undefined) {
      total += sc;
      scored++;
    }
  }
  if (nodes.length === budget) {
    w.setEpoch(ctx.store, { ...w.getEpoch(ctx.store, s.epoch), phase: EpochPhase.EPOCH_PHASE_SCORING, cursor: nodes[nodes.length - 1].id + 1n, totalScore: decToString(total), nodesScored: scored });
    return;
  }
  // every node scored: the pool is now fixed; watchers are paid first, then nodes in batches
  const fixed = { ...w.getEpoch(ctx.store, s.epoch), totalScore: decToString(total), nodesScored: scored };
  const watcherPaid = payWatchers(ctx, src, fixed);
  w.setEpoch(ctx.store, { ...fixed, phase: EpochPhase.EPOCH_PHASE_PAYING, cursor: 0n, watcherPool: watcherPaid.toString(), paid: watcherPaid.toString() });
  ctx.events.emit("epoch_scored", { epoch: s.epoch.toString(), pool: fixed.pool, watcher_pool: watcherPaid.toString(), total_score: decToString(total), nodes: scored.toString() });
}

/**
 * Scores one node for an epoch (its availability) and records every factor with its
 * usage income; undefined if it earns nothing. Storage due this epoch is charged to each
 * publisher here (what it paid is the node's storage income) and missed challenges slashed.
 */
function scoreNode(ctx: Context, src: SettlementSources, epoch: bigint, n: Node): bigint | undefined {
  const gp = src.gpow.params(ctx.store);
  const prices = src.market.prices(ctx.store);
  let missed = 0;
  let proven = 0;
  // storage was charged when each proof came in; a miss is slashed here, also for a node
  // that deregistered during the epoch (the slash reaches the guarantee that left)
  const start = epochs.start(ctx.store, epoch);
  const challengeable = n.status !== NodeStatus.NODE_STATUS_DEREGISTERED
    || src.peernode.unbondingsOfNode(ctx.store, n.id).some((u) => u.created >= start && u.amount > 0n);
  if (challengeable) {
    for (const c of src.gpow.challengedReplicas(ctx.store, epoch, n.id)) {
      if (src.gpow.storageProven(ctx.store, epoch, n.id, c.id)) proven++;
      else {
        missed++;
        src.peernode.slash(ctx, n.id, decFromString(gp.storageSlashFraction), `missed the storage challenge of content ${c.id} in epoch ${epoch}`, { height: start });
      }
    }
  }
  if (missed || proven) w.addWork(ctx, epoch, n.id, { storageMissed: missed, storageProven: proven });
  const work = w.getWork(ctx.store, epoch, n.id);
  // absent by its own proofs: every storage challenge missed and not even a delivery claim sent
  const absent = missed > 0 && proven === 0 && !src.gpow.hasClaim(ctx.store, epoch, n.id);
  const evaluation = src.watcher.evaluateNode(ctx, epoch, n.id, absent, n.region);
  const p = settlementParams.get(ctx.store);
  const node = src.peernode.mustNode(ctx.store, n.id); // after this epoch's storage slashes
  const bonded = src.peernode.isBonded(ctx.store, node);
  const bond = BigInt(node.guaranteeTokens);
  const uptime = evaluation?.uptimePermille ?? p.unreportedUptimePermille;
  const latencyMs = evaluation?.latencyMs ?? 0;
  const chunkPermille = evaluation?.chunkPermille ?? 1000;
  const latency = latencyFactor(p.targetLatencyMs, latencyMs);
  const declaredNat = natFactor(p, node.natType);
  const measuredNat = measuredNatFactor(p, evaluation?.direct);
  const nat = appliedNatFactor(declaredNat, measuredNat);
  const declaredRegion = regionFactor(p, node.region);
  const regionReports = evaluation?.regionReports ?? 0;
  const regionLatencyMs = evaluation?.regionLatencyMs;
  const measuredRegion = measuredRegionFactor(p, node.region, regionVerified(p, regionReports, regionLatencyMs));
  const region = appliedRegionFactor(declaredRegion, measuredRegion);
  const storage = storageFactor(work.storageProven, work.storageMissed);
  const sc = bonded ? score(bond, { uptimePermille: uptime, chunkPermille, latency }, nat, region, storage) : 0n;
  const usage = usageIncome(work);
  // a node below min_bond gets a record all the same, so `explain` says why it earned nothing
  if (sc === 0n && usage === 0n && (bonded || node.status === NodeStatus.NODE_STATUS_DEREGISTERED)) return undefined;
  c.records.set(ctx.store, [epoch, n.id], {
    nodeId: n.id, epoch, work, workValue: decToString(workValue(work, prices)), uptimePermille: uptime, reports: evaluation?.reports ?? 0,
    natFactor: decToString(nat), regionFactor: decToString(region), score: decToString(sc), reward: "0", commission: "0", toBackers: "0",
    usageIncome: usage.toString(), availabilityReward: "0", bond: bond.toString(), bonded, storageFactor: decToString(storage),
    latencyMs, latencyFactor: decToString(latency), chunkPermille,
    declaredNatFactor: decToString(declaredNat), measuredNatFactor: measuredNat === undefined ? "" : decToString(measuredNat),
    declaredRegionFactor: decToString(declaredRegion), measuredRegionFactor: decToString(measuredRegion), regionReports, regionLatencyMs: regionLatencyMs ?? 0,
  });
  return sc;
}

/** Watchers who attested get watcher_share of the pool, by stake × reports filed. Returns what was paid. */
function payWatchers(ctx: Context, src: SettlementSources, s: EpochSettlement): bigint {
  const share = decFromString(settlementParams.get(ctx.store).watcherShare);
  const pool = (BigInt(s.pool) * share) / DEC_ONE;
  const workers = src.watcher.attestedIn(ctx.store, s.epoch)
    .flatMap((a) => {
      const state = src.watcher.get(ctx.store, a.watcher);
      // a watcher slashed for this epoch's reports is not paid for them
      return state && !state.jailed && BigInt(state.tokens) > 0n ? [{ ...a, stake: BigInt(state.tokens) }] : [];
    });
  const weight = workers.reduce((t, a) => t + a.stake * a.reports, 0n);
  if (pool === 0n || weight === 0n) return 0n;
  const denom = mintKeeper.getParams(ctx.store).mintDenom;
  let paid = 0n;
  for (const a of workers) {
    const amount = (pool * a.stake * a.reports) / weight;
    if (amount === 0n) continue;
    bankKeeper.sendCoins(ctx, moduleAddress(SETTLEMENT_POOL), moduleAddress(WATCHER_REWARDS), [{ denom, amount }]);
    src.watcher.creditReward(ctx, a.watcher, amount);
    paid += amount;
    ctx.events.emit("watcher_reward", { watcher: a.watcher, epoch: s.epoch.toString(), amount: amount.toString(), reports: a.reports.toString(), stake: a.stake.toString() });
  }
  return paid;
}

function payNodes(ctx: Context, src: SettlementSources, s: EpochSettlement, budget: number): void {
  const batch = c.records.entries(ctx.store, { prefix: `${pad(s.epoch)}/`, from: [s.epoch, s.cursor], limit: budget });
  const nodePool = BigInt(s.pool) - BigInt(s.watcherPool);
  const total = decFromString(s.totalScore);
  const denom = mintKeeper.getParams(ctx.store).mintDenom;
  let paid = BigInt(s.paid);
  let batchPaid = 0n;
  for (const [key, r] of batch) {
    const availability = rewardOf(nodePool, decFromString(r.score), total);
    const reward = availability + BigInt(r.usageIncome || "0");
    let split = { commission: 0n, toBackers: 0n };
    if (reward > 0n) {
      split = src.peernode.creditReward(ctx, r.nodeId, reward, s.epoch);
      batchPaid += reward;
    }
    c.records.set(ctx.store, key, {
      ...r, reward: reward.toString(), availabilityReward: availability.toString(), commission: split.commission.toString(), toBackers: split.toBackers.toString(),
    });
    // the factors behind the reward are in the node's epoch record (`explain`); the event itemises the money
    ctx.events.emit("node_reward", {
      node_id: r.nodeId.toString(), epoch: s.epoch.toString(), score: r.score, availability_reward: availability.toString(), usage_income: r.usageIncome,
      reward: reward.toString(), commission: split.commission.toString(), to_backers: split.toBackers.toString(),
    });
  }
  // one transfer for the whole batch into the account the nodes' rewards are paid from
  if (batchPaid > 0n) bankKeeper.sendCoins(ctx, moduleAddress(SETTLEMENT_POOL), moduleAddress(NODE_REWARDS), [{ denom, amount: batchPaid }]);
  paid += batchPaid;
  if (batch.length === budget) {
    w.setEpoch(ctx.store, { ...s, cursor: batch[batch.length - 1][1].nodeId + 1n, paid: paid.toString() });
    return;
  }
  // settled: what rounding (or a zero total score, or usage of a node gone meanwhile) left moves to the next epoch's pool
  const left = BigInt(s.pool) + BigInt(s.usageIncome || "0") - paid;
  w.setEpoch(ctx.store, { ...s, phase: EpochPhase.EPOCH_PHASE_SETTLED, paid: paid.toString() });
  w.fundEpoch(ctx, s.epoch + 1n, left);
  c.nextToSettle.set(ctx.store, s.epoch + 1n);
  ctx.events.emit("epoch_settled", { epoch: s.epoch.toString(), paid: paid.toString(), usage_income: s.usageIncome, burned: s.burned, carried_over: left.toString() });
}
