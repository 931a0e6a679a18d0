import {
  MsgDelegateKeeper, MsgDelegateKeeperResponse, MsgRegisterKeeper, MsgRegisterKeeperResponse, MsgSubmitAttestations, MsgSubmitAttestationsResponse,
  MsgUndelegateKeeper, MsgUndelegateKeeperResponse, MsgUnjailKeeper, MsgUnjailKeeperResponse, MsgUpdateParams, MsgWithdrawKeeperRewards,
  MsgWithdrawKeeperRewardsResponse,
} from "../../proto/gen/aro/keeper/v1/tx.ts";
import { Reach, type Params } from "../../proto/gen/aro/keeper/v1/keeper.ts";
import type { Coin } from "../../proto/gen/cosmos/base/v1beta1/coin.ts";
import { validateAddress } from "../../chain/address.ts";
import { positiveAmountIn } from "../../chain/coins.ts";
import { msgRoute, type Context, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { tokensForShares } from "../../chain/share-pool.ts";
import { updateParamsRoute } from "../../chain/params-route.ts";
import { peernodeKeeper } from "../peernode/keeper.ts";
import { validateRegion } from "../peernode/validation.ts";
import { epochs } from "../epochs/epochs.ts";
import { committeeFor } from "./committee.ts";
import { keeperErrors } from "./errors.ts";
import { keeperKeeper as k, poolOf } from "./keeper.ts";
import { validateKeeperParams } from "./params.ts";

const M = "/aro.keeper.v1.";

const amountOf = (ctx: Context, coin: Coin | undefined) => positiveAmountIn(coin, k.denom(ctx.store));

const register = msgRoute<MsgRegisterKeeper>({
  typeUrl: M + "MsgRegisterKeeper", type: MsgRegisterKeeper, signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const params = k.getParams(ctx.store);
    if (k.get(ctx.store, m.address)) throw keeperErrors.keeperExists.wrap(m.address);
    validateRegion(m.region, peernodeKeeper.getParams(ctx.store));
    const stake = amountOf(ctx, m.stake);
    if (stake < BigInt(params.minStake)) throw keeperErrors.stakeTooSmall.wrap(`${stake} < ${params.minStake}`);
    if (k.all(ctx.store).length >= params.maxKeepers) throw keeperErrors.tooManyKeepers.wrap(`${params.maxKeepers} keepers`);
    k.set(ctx.store, { address: m.address, region: m.region, tokens: "0", shares: "0", jailed: false, strikes: 0, registeredHeight: ctx.block.height, rewardPerShare: "0", slashes: 0n });
    k.delegate(ctx, m.address, m.address, stake);
    ctx.events.emit("register_keeper", { keeper: m.address, region: m.region, stake: stake.toString() });
    return reply(M + "MsgRegisterKeeperResponse", MsgRegisterKeeperResponse, {});
  },
});

const delegate = msgRoute<MsgDelegateKeeper>({
  typeUrl: M + "MsgDelegateKeeper", type: MsgDelegateKeeper, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.keeper, "keeper")),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    k.delegate(ctx, m.keeper, m.delegator, amount);
    ctx.events.emit("delegate_keeper", { keeper: m.keeper, delegator: m.delegator, amount: amount.toString() });
    return reply(M + "MsgDelegateKeeperResponse", MsgDelegateKeeperResponse, {});
  },
});

const undelegate = msgRoute<MsgUndelegateKeeper>({
  typeUrl: M + "MsgUndelegateKeeper", type: MsgUndelegateKeeper, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.keeper, "keeper")),
  handle(ctx, m) {
    const amount = amountOf(ctx, m.amount);
    const done = k.undelegate(ctx, m.keeper, m.delegator, amount);
    ctx.events.emit("undelegate_keeper", { keeper: m.keeper, delegator: m.delegator, amount: amount.toString(), completion_time: done.toString() });
    return reply(M + "MsgUndelegateKeeperResponse", MsgUndelegateKeeperResponse, { completionTime: done });
  },
});

/** A keeper's reports on the nodes of its committees for a finished epoch, inside the attest window. */
const attest = msgRoute<MsgSubmitAttestations>({
  typeUrl: M + "MsgSubmitAttestations", type: MsgSubmitAttestations, signers: (m) => [m.keeper],
  validate(m) {
    validateAddress(m.keeper, "keeper");
    if (m.reports.length === 0) throw keeperErrors.invalidReport.wrap("no reports");
    const seen = new Set<bigint>();
    for (const r of m.reports) {
      if (r.uptimePermille > 1000) throw keeperErrors.invalidReport.wrap(`node ${r.nodeId}: uptime_permille is at most 1000`);
      if (r.reach < Reach.REACH_UNSPECIFIED || r.reach > Reach.REACH_UNREACHABLE) throw keeperErrors.invalidReport.wrap(`node ${r.nodeId}: unknown reach ${r.reach}`);
      if (seen.has(r.nodeId)) throw keeperErrors.invalidReport.wrap(`node ${r.nodeId} reported twice`);
      seen.add(r.nodeId);
    }
  },
  handle(ctx, m) {
    const keeper = k.must(ctx.store, m.keeper);
    if (keeper.jailed) throw keeperErrors.jailed.wrap(m.keeper);
    const end = epochs.end(ctx.store, m.epoch);
    const params = k.getParams(ctx.store);
    if (ctx.block.height <= end || ctx.block.height > end + params.attestWindow) {
      throw keeperErrors.outsideWindow.wrap(`attestations for epoch ${m.epoch} are accepted at heights ${end + 1n}..${end + params.attestWindow}`);
    }
    if (k.hasAttested(ctx.store, m.epoch, m.keeper)) throw keeperErrors.alreadyAttested.wrap(`epoch ${m.epoch}`);
    const snapshot = k.getSnapshot(ctx.store, m.epoch);
    if (!snapshot || !snapshot.keepers.some((e) => e.address === m.keeper)) throw keeperErrors.notInCommittee.wrap(`${m.keeper} was not an active keeper in epoch ${m.epoch}`);
    for (const r of m.reports) {
      const node = peernodeKeeper.mustNode(ctx.store, r.nodeId);
      if (!committeeFor(snapshot, node.id, node.region, params.committeeSize).includes(m.keeper)) throw keeperErrors.notInCommittee.wrap(`node ${node.id}`);
      k.setReport(ctx.store, m.epoch, m.keeper, r);
    }
    k.markAttested(ctx.store, m.epoch, m.keeper, m.reports.length);
    ctx.events.emit("attestations", { keeper: m.keeper, epoch: m.epoch.toString(), reports: m.reports.length.toString() });
    return reply(M + "MsgSubmitAttestationsResponse", MsgSubmitAttestationsResponse, {});
  },
});

const unjail = msgRoute<MsgUnjailKeeper>({
  typeUrl: M + "MsgUnjailKeeper", type: MsgUnjailKeeper, signers: (m) => [m.address],
  validate: (m) => void validateAddress(m.address),
  handle(ctx, m) {
    const keeper = k.must(ctx.store, m.address);
    if (!keeper.jailed) throw keeperErrors.notJailed.wrap(m.address);
    const own = k.getDelegation(ctx.store, m.address, m.address);
    const ownTokens = own ? tokensForShares(poolOf(keeper), BigInt(own.shares)) : 0n;
    if (ownTokens < BigInt(k.getParams(ctx.store).minStake)) throw keeperErrors.stakeTooSmall.wrap(`own stake ${ownTokens} is below the minimum: add stake first`);
    k.set(ctx.store, { ...keeper, jailed: false, strikes: 0 });
    ctx.events.emit("unjail_keeper", { keeper: m.address });
    return reply(M + "MsgUnjailKeeperResponse", MsgUnjailKeeperResponse, {});
  },
});

const withdraw = msgRoute<MsgWithdrawKeeperRewards>({
  typeUrl: M + "MsgWithdrawKeeperRewards", type: MsgWithdrawKeeperRewards, signers: (m) => [m.delegator],
  validate: (m) => (validateAddress(m.delegator, "delegator"), void validateAddress(m.keeper, "keeper")),
  handle(ctx, m) {
    const keeper = k.must(ctx.store, m.keeper);
    const d = k.getDelegation(ctx.store, m.keeper, m.delegator);
    if (!d) throw keeperErrors.noDelegation.wrap(`${m.delegator} to ${m.keeper}`);
    const paid = k.payRewards(ctx, keeper, d);
    ctx.events.emit("withdraw_keeper_rewards", { keeper: m.keeper, delegator: m.delegator, amount: paid.toString() });
    return reply(M + "MsgWithdrawKeeperRewardsResponse", MsgWithdrawKeeperRewardsResponse, { amount: paid > 0n ? [{ denom: k.denom(ctx.store), amount: paid.toString() }] : [] });
  },
});

export const keeperMsgs: MsgRoute[] = [
  register, delegate, undelegate, attest, unjail, withdraw,
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validateKeeperParams, set: (s, p) => k.setParams(s, p) }),
];
