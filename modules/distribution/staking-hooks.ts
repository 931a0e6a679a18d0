import { incrementValidatorPeriod, initializeDelegation, initializeValidator, recordSlash, withdrawDelegationRewards } from "./rewards.ts";
import { type StakingHooks } from "./expected.ts";

/** Keeps reward accounting in step with every stake change (registered with x/staking). */
export const distributionStakingHooks: StakingHooks = {
  afterValidatorCreated: (ctx, val) => initializeValidator(ctx.store, val),
  beforeDelegationCreated: (ctx, _del, val) => void incrementValidatorPeriod(ctx, val),
  beforeDelegationSharesModified: (ctx, del, val) => void withdrawDelegationRewards(ctx, val, del),
  afterDelegationModified: (ctx, del, val) => initializeDelegation(ctx, val, del),
  beforeValidatorSlashed: (ctx, val, fraction) => recordSlash(ctx, val, fraction),
};
