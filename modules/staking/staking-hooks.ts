import type { Context } from "../../chain/module.ts";

/**
 * What other modules can run when x/staking changes validators and delegations (the
 * SDK's StakingHooks). Modules register them as `hooks: { staking: {...} }`.
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, val: string): void;
  beforeDelegationCreated?(ctx: Context, del: string, val: string): void;
  /** Before the shares of an existing delegation change (or it is removed). */
  beforeDelegationSharesModified?(ctx: Context, del: string, val: string): void;
  /** After a delegation was created or changed and the validator holds its new tokens. */
  afterDelegationModified?(ctx: Context, del: string, val: string): void;
  /** Before `fraction` (18-decimal, at most 1) of the validator's tokens is burned. */
  beforeValidatorSlashed?(ctx: Context, val: string, fraction: bigint): void;
}

type Required<T> = { [K in keyof T]-?: T[K] };

/** Runs every registered staking hook of the app, in module order. */
export function stakingHooks(ctx: Context): Required<StakingHooks> {
  const all = ctx.hooks.get<StakingHooks>("staking");
  return {
    afterValidatorCreated: (c, val) => all.forEach((h) => h.afterValidatorCreated?.(c, val)),
    beforeDelegationCreated: (c, del, val) => all.forEach((h) => h.beforeDelegationCreated?.(c, del, val)),
    beforeDelegationSharesModified: (c, del, val) => all.forEach((h) => h.beforeDelegationSharesModified?.(c, del, val)),
    afterDelegationModified: (c, del, val) => all.forEach((h) => h.afterDelegationModified?.(c, del, val)),
    beforeValidatorSlashed: (c, val, fraction) => all.forEach((h) => h.beforeValidatorSlashed?.(c, val, fraction)),
  };
}
