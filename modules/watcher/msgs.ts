import {
  MsgDelegateWatcher, MsgDelegateWatcherResponse, MsgRegisterWatcher, MsgRegisterWatcherResponse, MsgSubmitAttestations, MsgSubmitAttestationsResponse,
  MsgUndelegateWatcher, MsgUndelegateWatcherResponse, MsgUnjailWatcher, MsgUnjailWatcherResponse, MsgUpdateParams, MsgWithdrawWatcherRewards,
  MsgWithdrawWatcherRewardsResponse,
} from "../../proto/gen/aro/watcher/v1/tx.ts";
import { Reach, type Params } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import type { Coin } from "../../proto/gen/cosmos/base/v1beta1/coin.ts";
import { validateAddress } from "../../chain/address.ts";
import { positiveAmountIn } from "../../chain/coins.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { tokensForShares } from "../../chain/share-pool.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { epochs } from "../epochs/epochs.ts";
import { committeeFor } from "./committee.ts";
import { watcherErrors } from "./errors.ts";
import { watcherKeeper as k, poolOf } from "./keeper.ts";
import { validateWatcherParams } from "./params.ts";
import { peernodeKeeper, validateRegion } from "./expected.ts";

const M = "/aro.watcher.v1.";

const amountOf = (ctx: Context, coin: Coin | undefined) => positiveAmountIn(coin, k.denom(ctx.store));

const register = msgRoute<MsgRegisterWatcher>({
  typeUrl: M + "MsgRegisterWatcher", type: MsgRegisterWatcher, signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const params = k.getParams(ctx.store);
    if (k.get(ctx.store, m.address)) throw watcherErrors.watcherExists.wrap(m.address);
    validateRegion(m.region, peernodeKeeper.getParams(ctx.store));
    const stake = amountOf(ctx, m.stake);
    if (stake < BigInt(params.minStake)) throw watcherErrors.stakeTooSmall.wrap(`${stake} < ${params.minStake}`);
    if (k.all(ctx.store).length >= params.maxWatchers) throw watcherErrors.tooManyWatchers.wrap(`${params.maxWatchers} watchers`);
    k.set(ctx.store, { address: m.address, region: m.region, tokens: "0", shares: "0", jailed: false, strikes: 0, registeredHeight: ctx.block.height, rewardPerShare: "0", slashes: 0n });
    k.delegate(ctx, m.address, m.address, stake);
    ctx.events.emit("register_watcher", { watcher: m.address, region: m.region, stake: stake.toString() });
    return reply(M + "MsgRegisterWatcherResponse", MsgRegisterWatcherResponse, {});
  },
});

const delegate = msgRoute<MsgDelegateWatcher>({
  typeUrl: M + "MsgDelegateWatcher", type: MsgDelegateWatcher, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.watcher, "watcher")),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    k.delegate(ctx, m.watcher, m.delegator, amount);
    ctx.events.emit("delegate_watcher", { watcher: m.watcher, delegator: m.delegator, amount: amount.toString() });
    return reply(M + "MsgDelegateWatcherResponse", MsgDelegateWatcherResponse, {});
  },
});

const undelegate = msgRoute<MsgUndelegateWatcher>({
  typeUrl: M + "MsgUndelegateWatcher", type: MsgUndelegateWatcher, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.watcher, "watcher")),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    const done = k.undelegate(ctx, m.watcher, m.delegator, amount);
    ctx.events.emit("undelegate_watcher", { watcher: m.watcher, delegator: m.delegator, amount: amount.toString(), completion_time: done.toString() });
    return reply(M + "MsgUndelegateWatcherResponse", MsgUndelegateWatcherResponse, { completionTime: done });
  },
});

/** A watcher's reports on the nodes of its committees for a finished epoch, inside the attest window. */
const attest = msgRoute<MsgSubmitAttestations>({
  typeUrl: M + "MsgSubmitAttestations", type: MsgSubmitAttestations, signers: (m) => [m.watcher],
  validate(m) {
    validateAddress(m.watcher, "watcher");
    if (m.reports.length === 0) throw watcherErrors.invalidReport.wrap("no reports");
    const seen = new Set<bigint>();
    for (const r of m.reports) {
      if (r.uptimePermille > 1000) throw watcherErrors.invalidReport.wrap(`node ${r.nodeId}: uptime_permille is at most 1000`);
      if (r.reach < Reach.REACH_UNSPECIFIED || r.reach > Reach.REACH_UNREACHABLE) throw watcherErrors.invalidReport.wrap(`node ${r.nodeId}: unknown reach ${r.reach}`);
      if (seen.has(r.nodeId)) throw watcherErrors.invalidReport.wrap(`node ${r.nodeId} reported twice`);
      seen.add(r.nodeId);
    }
  },
  handle(ctx, m) {
    const watcher = k.must(ctx.store, m.watcher);
    if (watcher.jailed) throw watcherErrors.jailed.wrap(m.watcher);
    const end = epochs.end(ctx.store, m.epoch);
    const params = k.getParams(ctx.store);
    if (ctx.block.height <= end || ctx.block.height > end + params.attestWindow) {
      throw watcherErrors.outsideWindow.wrap(`attestations for epoch ${m.epoch} are accepted at heights ${end + 1n}..${end + params.attestWindow}`);
    }
    if (k.hasAttested(ctx.store, m.epoch, m.watcher)) throw watcherErrors.alreadyAttested.wrap(`epoch ${m.epoch}`);
    const snapshot = k.getSnapshot(ctx.store, m.epoch);
    if (!snapshot || !snapshot.watchers.some((e) => e.address === m.watcher)) throw watcherErrors.notInCommittee.wrap(`${m.watcher} was not an active watcher in epoch ${m.epoch}`);
    for (const r of m.reports) {
      const node = peernodeKeeper.mustNode(ctx.store, r.nodeId);
      if (!committeeFor(snapshot, node.id, node.region, params.committeeSize).includes(m.watcher)) throw watcherErrors.notInCommittee.wrap(`node ${node.id}`);
      k.setReport(ctx.store, m.epoch, m.watcher, r);
    }
    k.markAttested(ctx.store, m.epoch, m.watcher, m.reports.length);
    ctx.events.emit("attestations", { watcher: m.watcher, epoch: m.epoch.toString(), reports: m.reports.length.toString() });
    return reply(M + "MsgSubmitAttestationsResponse", MsgSubmitAttestationsResponse, {});
  },
});

const unjail = msgRoute<MsgUnjailWatcher>({
  typeUrl: M + "MsgUnjailWatcher", type: MsgUnjailWatcher, signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const watcher = k.must(ctx.store, m.address);
    if (!watcher.jailed) throw watcherErrors.notJailed.wrap(m.address);
    const own = k.getDelegation(ctx.store, m.address, m.address);
    const ownTokens = own ? tokensForShares(poolOf(watcher), BigInt(own.shares)) : 0n;
    if (ownTokens < BigInt(k.getParams(ctx.store).minStake)) throw watcherErrors.stakeTooSmall.wrap(`own stake ${ownTokens} is below the minimum: add stake first`);
    k.set(ctx.store, { ...watcher, jailed: false, strikes: 0 });
    ctx.events.emit("unjail_watcher", { watcher: m.address });
    return reply(M + "MsgUnjailWatcherResponse", MsgUnjailWatcherResponse, {});
  },
});

const withdraw = msgRoute<MsgWithdrawWatcherRewards>({
  typeUrl: M + "MsgWithdrawWatcherRewards", type: MsgWithdrawWatcherRewards, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.watcher, "watcher")),
  handle(ctx, m) {
    const watcher = k.must(ctx.store, m.watcher);
    const d = k.getDelegation(ctx.store, m.watcher, m.delegator);
    if (!d) throw watcherErrors.noDelegation.wrap(`${m.delegator} to ${m.watcher}`);
    const paid = k.payRewards(ctx, watcher, d);
    ctx.events.emit("withdraw_watcher_rewards", { watcher: m.watcher, delegator: m.delegator, amount: paid.toString() });
    return reply(M + "MsgWithdrawWatcherRewardsResponse", MsgWithdrawWatcherRewardsResponse, { amount: paid > 0n ? [{ denom: k.denom(ctx.store), amount: paid.toString() }] : [] });
  },
});

export const watcherMsgs: MsgRoute[] = [
  register, delegate, undelegate, attest, unjail, withdraw,
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validateWatcherParams, set: (s, p) => k.setParams(s, p) }),
];
