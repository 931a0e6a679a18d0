import {
  MsgCommunityPoolSpend, MsgCommunityPoolSpendResponse, MsgDepositValidatorRewardsPool, MsgDepositValidatorRewardsPoolResponse,
  MsgFundCommunityPool, MsgFundCommunityPoolResponse, MsgSetWithdrawAddress, MsgSetWithdrawAddressResponse, MsgUpdateParams,
  MsgWithdrawDelegatorReward, MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommission, MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { validateAddress, validateValoperAddress, valoperToAccount } from "../../chain/address.ts";
import { formatCoins, toAmounts, toWireCoins } from "../../chain/coins.ts";
import { msgRoute, type MsgRoute } from "../../chain/module.ts";
import { reply } from "../../chain/msg-reply.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { requireGovAuthority, updateParamsRoute } from "../../chain/params-route.ts";
import { decCoins } from "./dec-coins.ts";
import { distributionErrors } from "./errors.ts";
import { distributionKeeper as k } from "./keeper.ts";
import { DISTRIBUTION_MODULE } from "./keys.ts";
import { validateDistributionParams } from "./params.ts";
import { allocateToValidator, initializeDelegation, withdrawDelegationRewards, withdrawValidatorCommission } from "./rewards.ts";
import { bankKeeper, stakingKeeper } from "./expected.ts";

const M = "/cosmos.distribution.v1beta1.";

function requireAddress(address: string, empty: { wrap(m: string): Error }, what: string): void {
  if (!address) throw empty.wrap("");
  validateAddress(address, what);
}

const setWithdrawAddress = msgRoute<MsgSetWithdrawAddress>({
  typeUrl: M + "MsgSetWithdrawAddress",
  type: MsgSetWithdrawAddress,
  signers: (m) => [m.delegatorAddress],
  validate(m) {
    requireAddress(m.delegatorAddress, distributionErrors.emptyDelegatorAddr, "delegator address");
    requireAddress(m.withdrawAddress, distributionErrors.emptyWithdrawAddr, "withdraw address");
  },
  handle(ctx, m) {
    if (!k.getParams(ctx.store).withdrawAddrEnabled) throw distributionErrors.setWithdrawAddrDisabled.wrap("");
    bankKeeper.requireReceivable(ctx, m.withdrawAddress);
    k.setWithdrawAddress(ctx.store, m.delegatorAddress, m.withdrawAddress);
    ctx.events.emit("set_withdraw_address", { withdraw_address: m.withdrawAddress });
    return reply(M + "MsgSetWithdrawAddressResponse", MsgSetWithdrawAddressResponse, {});
  },
});

const withdrawDelegatorReward = msgRoute<MsgWithdrawDelegatorReward>({
  typeUrl: M + "MsgWithdrawDelegatorReward",
  type: MsgWithdrawDelegatorReward,
  signers: (m) => [m.delegatorAddress],
  validate(m) {
    requireAddress(m.delegatorAddress, distributionErrors.emptyDelegatorAddr, "delegator address");
    if (!m.validatorAddress) throw distributionErrors.emptyValidatorAddr.wrap("");
    validateValoperAddress(m.validatorAddress);
  },
  handle(ctx, m) {
    if (!stakingKeeper.getValidator(ctx.store, m.validatorAddress)) throw distributionErrors.noValidatorDistInfo.wrap(`no validator ${m.validatorAddress}`);
    if (!stakingKeeper.getDelegation(ctx.store, m.delegatorAddress, m.validatorAddress)) {
      throw distributionErrors.emptyDelegationDistInfo.wrap(`${m.delegatorAddress} has no delegation to ${m.validatorAddress}`);
    }
    const amount = withdrawDelegationRewards(ctx, m.validatorAddress, m.delegatorAddress);
    initializeDelegation(ctx, m.validatorAddress, m.delegatorAddress);
    return reply(M + "MsgWithdrawDelegatorRewardResponse", MsgWithdrawDelegatorRewardResponse, { amount: toWireCoins(amount) });
  },
});

const withdrawCommission = msgRoute<MsgWithdrawValidatorCommission>({
  typeUrl: M + "MsgWithdrawValidatorCommission",
  type: MsgWithdrawValidatorCommission,
  signers: (m) => [valoperToAccount(validateValoperAddress(m.validatorAddress))],
  validate(m) {
    if (!m.validatorAddress) throw distributionErrors.emptyValidatorAddr.wrap("");
    validateValoperAddress(m.validatorAddress);
  },
  handle(ctx, m) {
    const amount = withdrawValidatorCommission(ctx, m.validatorAddress, valoperToAccount(m.validatorAddress));
    return reply(M + "MsgWithdrawValidatorCommissionResponse", MsgWithdrawValidatorCommissionResponse, { amount: toWireCoins(amount) });
  },
});

const fundCommunityPool = msgRoute<MsgFundCommunityPool>({
  typeUrl: M + "MsgFundCommunityPool",
  type: MsgFundCommunityPool,
  signers: (m) => [m.depositor],
  validate(m) {
    validateAddress(m.depositor, "depositor");
    toAmounts(m.amount);
  },
  handle(ctx, m) {
    const amounts = toAmounts(m.amount);
    bankKeeper.sendFromAccountToModule(ctx, m.depositor, DISTRIBUTION_MODULE, amounts);
    k.setCommunityPool(ctx.store, decCoins.add(k.communityPool(ctx.store), decCoins.fromCoins(amounts)));
    return reply(M + "MsgFundCommunityPoolResponse", MsgFundCommunityPoolResponse, {});
  },
});

/** Governance pays from the community pool (a proposal's message). */
const communityPoolSpend = msgRoute<MsgCommunityPoolSpend>({
  typeUrl: M + "MsgCommunityPoolSpend",
  type: MsgCommunityPoolSpend,
  signers: (m) => [m.authority],
  validate(m) {
    validateAddress(m.authority, "authority");
    if (!m.recipient) throw distributionErrors.emptyProposalRecipient.wrap("");
    validateAddress(m.recipient, "recipient");
    try {
      toAmounts(m.amount);
    } catch (err) {
      throw distributionErrors.invalidProposalAmount.wrap((err as Error).message);
    }
  },
  handle(ctx, m) {
    requireGovAuthority(m.authority);
    bankKeeper.requireReceivable(ctx, m.recipient);
    const amounts = toAmounts(m.amount);
    const pool = k.communityPool(ctx.store);
    const spend = decCoins.fromCoins(amounts);
    if (!decCoins.covers(pool, spend)) throw distributionErrors.badDistribution.wrap(`pool holds ${decCoins.format(pool)}, asked for ${formatCoins(amounts)}`);
    k.setCommunityPool(ctx.store, decCoins.sub(pool, spend));
    bankKeeper.sendCoins(ctx, moduleAddress(DISTRIBUTION_MODULE), m.recipient, amounts);
    ctx.events.emit("community_pool_spend", { recipient: m.recipient, amount: formatCoins(amounts) });
    return reply(M + "MsgCommunityPoolSpendResponse", MsgCommunityPoolSpendResponse, {});
  },
});

/** Anyone can add to a validator's rewards (shared with its delegators, less commission). */
const depositValidatorRewardsPool = msgRoute<MsgDepositValidatorRewardsPool>({
  typeUrl: M + "MsgDepositValidatorRewardsPool",
  type: MsgDepositValidatorRewardsPool,
  signers: (m) => [m.depositor],
  validate(m) {
    validateAddress(m.depositor, "depositor");
    validateValoperAddress(m.validatorAddress);
    toAmounts(m.amount);
  },
  handle(ctx, m) {
    if (!stakingKeeper.getValidator(ctx.store, m.validatorAddress)) throw distributionErrors.noValidatorExists.wrap(m.validatorAddress);
    const amounts = toAmounts(m.amount);
    bankKeeper.sendFromAccountToModule(ctx, m.depositor, DISTRIBUTION_MODULE, amounts);
    allocateToValidator(ctx, m.validatorAddress, decCoins.fromCoins(amounts));
    return reply(M + "MsgDepositValidatorRewardsPoolResponse", MsgDepositValidatorRewardsPoolResponse, {});
  },
});

export const distributionMsgs: MsgRoute[] = [
  setWithdrawAddress, withdrawDelegatorReward, withdrawCommission, fundCommunityPool, communityPoolSpend, depositValidatorRewardsPool,
  updateParamsRoute<Params>({ typeUrl: M + "MsgUpdateParams", type: MsgUpdateParams, validate: validateDistributionParams, set: (s, p) => k.setParams(s, p) }),
];
