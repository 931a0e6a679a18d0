import {
  QueryCommunityPoolRequest, QueryCommunityPoolResponse, QueryDelegationRewardsRequest, QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest, QueryDelegationTotalRewardsResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest, QueryDelegatorWithdrawAddressResponse, QueryParamsRequest, QueryParamsResponse,
  QueryValidatorCommissionRequest, QueryValidatorCommissionResponse, QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse, QueryValidatorSlashesRequest, QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { validateAddress, validateValoperAddress, valoperToAccount } from "../../chain/address.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { paginate } from "../../chain/pagination.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { decCoins, type DecCoins } from "./dec-coins.ts";
import { distributionErrors } from "./errors.ts";
import { distributionKeeper as k } from "./keeper.ts";
import { pad } from "./keys.ts";
import { calculateDelegationRewards, incrementValidatorPeriod } from "./rewards.ts";
import { stakingKeeper } from "./expected.ts";

const Q = "/cosmos.distribution.v1beta1.Query/";


/** What a delegation would withdraw now (with fractions), as the SDK's DelegationRewards query. */
function pendingRewards(state: KVReader, height: bigint, val: string, del: string): DecCoins {
  const ctx = scratchContext(state, height);
  return calculateDelegationRewards(ctx, val, del, incrementValidatorPeriod(ctx, val));
}

function requireValidator(state: KVReader, val: string): void {
  validateValoperAddress(val);
  if (!stakingKeeper.getValidator(state, val)) throw distributionErrors.noValidatorExists.wrap(val);
}

export const distributionQueries: QueryRoute[] = [
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
  queryRoute(Q + "ValidatorDistributionInfo", QueryValidatorDistributionInfoRequest, QueryValidatorDistributionInfoResponse, (state, req, height) => {
    requireValidator(state, req.validatorAddress);
    const operator = valoperToAccount(req.validatorAddress);
    if (!stakingKeeper.getDelegation(state, operator, req.validatorAddress)) throw distributionErrors.noDelegationExists.wrap(`${operator} has no self-delegation`);
    return {
      operatorAddress: operator,
      selfBondRewards: decCoins.toWire(pendingRewards(state, height, req.validatorAddress, operator)),
      commission: decCoins.toWire(k.commission(state, req.validatorAddress)),
    };
  }),
  queryRoute(Q + "ValidatorOutstandingRewards", QueryValidatorOutstandingRewardsRequest, QueryValidatorOutstandingRewardsResponse, (state, req) => {
    requireValidator(state, req.validatorAddress);
    return { rewards: { rewards: decCoins.toWire(k.outstanding(state, req.validatorAddress)) } };
  }),
  queryRoute(Q + "ValidatorCommission", QueryValidatorCommissionRequest, QueryValidatorCommissionResponse, (state, req) => {
    requireValidator(state, req.validatorAddress);
    return { commission: { commission: decCoins.toWire(k.commission(state, req.validatorAddress)) } };
  }),
  queryRoute(Q + "ValidatorSlashes", QueryValidatorSlashesRequest, QueryValidatorSlashesResponse, (state, req) => {
    validateValoperAddress(req.validatorAddress);
    if (req.startingHeight > req.endingHeight) throw sdkErrors.invalidRequest.wrap("starting height greater than ending height");
    const events = k.slashEvents(state, req.validatorAddress, req.startingHeight, req.endingHeight);
    const { items, pagination } = paginate(events.map((e) => [`${pad(e.height)}/${pad(e.period)}`, e] as const), req.pagination);
    return { slashes: items.map((e) => ({ validatorPeriod: e.period, fraction: e.fraction.toString() })), pagination };
  }),
  queryRoute(Q + "DelegationRewards", QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, (state, req, height) => {
    validateAddress(req.delegatorAddress, "delegator address");
    requireValidator(state, req.validatorAddress);
    if (!stakingKeeper.getDelegation(state, req.delegatorAddress, req.validatorAddress)) {
      throw distributionErrors.noDelegationExists.wrap(`${req.delegatorAddress} has no delegation to ${req.validatorAddress}`);
    }
    return { rewards: decCoins.toWire(pendingRewards(state, height, req.validatorAddress, req.delegatorAddress)) };
  }),
  queryRoute(Q + "DelegationTotalRewards", QueryDelegationTotalRewardsRequest, QueryDelegationTotalRewardsResponse, (state, req, height) => {
    validateAddress(req.delegatorAddress, "delegator address");
    let total: DecCoins = [];
    const rewards = stakingKeeper.delegationsOf(state, req.delegatorAddress).map((d) => {
      const reward = pendingRewards(state, height, d.validatorAddress, req.delegatorAddress);
      total = decCoins.add(total, reward);
      return { validatorAddress: d.validatorAddress, reward: decCoins.toWire(reward) };
    });
    return { rewards, total: decCoins.toWire(total) };
  }),
  queryRoute(Q + "DelegatorValidators", QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, (state, req) => {
    validateAddress(req.delegatorAddress, "delegator address");
    return { validators: stakingKeeper.delegationsOf(state, req.delegatorAddress).map((d) => d.validatorAddress) };
  }),
  queryRoute(Q + "DelegatorWithdrawAddress", QueryDelegatorWithdrawAddressRequest, QueryDelegatorWithdrawAddressResponse, (state, req) => {
    validateAddress(req.delegatorAddress, "delegator address");
    return { withdrawAddress: k.withdrawAddress(state, req.delegatorAddress) };
  }),
  queryRoute(Q + "CommunityPool", QueryCommunityPoolRequest, QueryCommunityPoolResponse, (state) => ({ pool: decCoins.toWire(k.communityPool(state)) })),
];
