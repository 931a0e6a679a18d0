import {
  QueryDelegationRequest, QueryDelegationResponse, QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse, QueryParamsRequest, QueryParamsResponse, QueryPoolRequest, QueryPoolResponse,
  QueryRedelegationsRequest, QueryRedelegationsResponse, QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse,
  QueryValidatorRequest, QueryValidatorResponse, QueryValidatorDelegationsRequest, QueryValidatorDelegationsResponse,
  QueryValidatorsRequest, QueryValidatorsResponse, QueryValidatorUnbondingDelegationsRequest, QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, bondStatusFromJSON, type Delegation, type Redelegation, type DelegationResponse } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { validateAddress, validateValoperAddress } from "../../chain/address.ts";
import { decFromWire } from "../../chain/dec.ts";
import { sdkErrors } from "../../chain/errors.ts";
import { queryRoute, type QueryRoute } from "../../chain/module.ts";
import { paginate } from "../../chain/pagination.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { stakingErrors } from "./errors.ts";
import { BONDED_POOL, NOT_BONDED_POOL } from "./keys.ts";
import { stakingKeeper as k, stakingStore } from "./keeper.ts";
import { bankKeeper } from "./expected.ts";

const Q = "/cosmos.staking.v1beta1.Query/";

function delegationResponse(state: KVReader, d: Delegation): DelegationResponse {
  const v = k.mustValidator(state, d.validatorAddress);
  return { delegation: d, balance: { denom: k.getParams(state).bondDenom, amount: k.tokensFromShares(v, decFromWire(d.shares)).toString() } };
}

function redelegationResponse(r: Redelegation) {
  return { redelegation: r, entries: r.entries.map((e) => ({ redelegationEntry: e, balance: e.initialBalance })) };
}

const notFound = (what: string) => sdkErrors.keyNotFound.wrap(`rpc error: code = NotFound desc = ${what}`);

export const stakingQueries: QueryRoute[] = [
  queryRoute(Q + "Validators", QueryValidatorsRequest, QueryValidatorsResponse, (state, req) => {
    const status = req.status ? bondStatusFromJSON(req.status) : undefined;
    if (status === BondStatus.UNRECOGNIZED) throw sdkErrors.invalidRequest.wrap(`invalid validator status ${req.status}`);
    const list = k.allValidators(state).filter((v) => status === undefined || v.status === status).map((v) => [v.operatorAddress, v] as const);
    const { items, pagination } = paginate(list, req.pagination);
    return { validators: items, pagination };
  }),
  queryRoute(Q + "Validator", QueryValidatorRequest, QueryValidatorResponse, (state, req) => {
    validateValoperAddress(req.validatorAddr);
    const validator = k.getValidator(state, req.validatorAddr);
    if (!validator) throw notFound(`validator ${req.validatorAddr} not found`);
    return { validator };
  }),
  queryRoute(Q + "ValidatorDelegations", QueryValidatorDelegationsRequest, QueryValidatorDelegationsResponse, (state, req) => {
    validateValoperAddress(req.validatorAddr);
    const list = k.delegationsTo(state, req.validatorAddr).map((d) => [d.delegatorAddress, delegationResponse(state, d)] as const);
    const { items, pagination } = paginate(list, req.pagination);
    return { delegationResponses: items, pagination };
  }),
  queryRoute(Q + "ValidatorUnbondingDelegations", QueryValidatorUnbondingDelegationsRequest, QueryValidatorUnbondingDelegationsResponse, (state, req) => {
    validateValoperAddress(req.validatorAddr);
    const { items, pagination } = paginate(k.unbondingsFrom(state, req.validatorAddr).map((u) => [u.delegatorAddress, u] as const), req.pagination);
    return { unbondingResponses: items, pagination };
  }),
  queryRoute(Q + "Delegation", QueryDelegationRequest, QueryDelegationResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    validateValoperAddress(req.validatorAddr);
    const d = k.getDelegation(state, req.delegatorAddr, req.validatorAddr);
    if (!d) throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
    return { delegationResponse: delegationResponse(state, d) };
  }),
  queryRoute(Q + "UnbondingDelegation", QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    validateValoperAddress(req.validatorAddr);
    const unbond = k.getUnbonding(state, req.delegatorAddr, req.validatorAddr);
    if (!unbond) throw notFound(`unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
    return { unbond };
  }),
  queryRoute(Q + "DelegatorDelegations", QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    const list = k.delegationsOf(state, req.delegatorAddr).map((d) => [d.validatorAddress, delegationResponse(state, d)] as const);
    const { items, pagination } = paginate(list, req.pagination);
    return { delegationResponses: items, pagination };
  }),
  queryRoute(Q + "DelegatorUnbondingDelegations", QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    const { items, pagination } = paginate(k.unbondingsOf(state, req.delegatorAddr).map((u) => [u.validatorAddress, u] as const), req.pagination);
    return { unbondingResponses: items, pagination };
  }),
  queryRoute(Q + "Redelegations", QueryRedelegationsRequest, QueryRedelegationsResponse, (state, req) => {
    if (req.delegatorAddr) validateAddress(req.delegatorAddr, "delegator address");
    const all = req.delegatorAddr ? k.redelegationsOf(state, req.delegatorAddr) : k.allRedelegations(state);
    const list = all
      .filter((r) => (!req.srcValidatorAddr || r.validatorSrcAddress === req.srcValidatorAddr) && (!req.dstValidatorAddr || r.validatorDstAddress === req.dstValidatorAddr))
      .map((r) => [`${r.delegatorAddress}/${r.validatorSrcAddress}/${r.validatorDstAddress}`, redelegationResponse(r)] as const);
    const { items, pagination } = paginate(list, req.pagination);
    return { redelegationResponses: items, pagination };
  }),
  queryRoute(Q + "DelegatorValidators", QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    const list = k.delegationsOf(state, req.delegatorAddr).map((d) => [d.validatorAddress, k.mustValidator(state, d.validatorAddress)] as const);
    const { items, pagination } = paginate(list, req.pagination);
    return { validators: items, pagination };
  }),
  queryRoute(Q + "DelegatorValidator", QueryDelegatorValidatorRequest, QueryDelegatorValidatorResponse, (state, req) => {
    validateAddress(req.delegatorAddr, "delegator address");
    validateValoperAddress(req.validatorAddr);
    if (!k.getDelegation(state, req.delegatorAddr, req.validatorAddr)) throw stakingErrors.noDelegation.wrap("");
    return { validator: k.mustValidator(state, req.validatorAddr) };
  }),
  queryRoute(Q + "HistoricalInfo", QueryHistoricalInfoRequest, QueryHistoricalInfoResponse, (state, req) => {
    return { hist: stakingStore.historical.must(state, req.height, () => stakingErrors.noHistoricalInfo.wrap(`height ${req.height}`)) };
  }),
  queryRoute(Q + "Pool", QueryPoolRequest, QueryPoolResponse, (state) => {
    const denom = k.getParams(state).bondDenom;
    return {
      pool: {
        bondedTokens: bankKeeper.getBalance(state, moduleAddress(BONDED_POOL), denom).toString(),
        notBondedTokens: bankKeeper.getBalance(state, moduleAddress(NOT_BONDED_POOL), denom).toString(),
      },
    };
  }),
  queryRoute(Q + "Params", QueryParamsRequest, QueryParamsResponse, (state) => ({ params: k.getParams(state) })),
];
