import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { NOT_BONDED_POOL, POWER_REDUCTION } from "./keys.ts";
import { stakingKeeper as k, tokensOf } from "./keeper.ts";
import { stakingHooks } from "./staking-hooks.ts";
import { bankKeeper } from "./expected.ts";

/** What x/slashing needs from x/staking (the SDK's ValidatorSet interface). */
export const stakingSlashing = {
  jail(ctx: Context, val: string): void {
    const v = k.mustValidator(ctx.store, val);
    if (!v.jailed) k.setValidator(ctx.store, { ...v, jailed: true });
  },

  unjail(ctx: Context, val: string): void {
    const v = k.mustValidator(ctx.store, val);
    if (v.jailed) k.setValidator(ctx.store, { ...v, jailed: false });
  },

  /**
   * Slashes `fraction` (18-decimal fixed point) of the stake the validator had at
   * `infractionHeight` (power * 10^6): first from unbonding entries that started at or
   * after the infraction, then from the validator's tokens. Slashed tokens are burned;
   * delegators' shares stay, each share is worth less. Returns the tokens burned.
   */
  slash(ctx: Context, val: string, infractionHeight: bigint, power: bigint, fraction: bigint): bigint {
    const v = k.mustValidator(ctx.store, val);
    const denom = k.getParams(ctx.store).bondDenom;
    let remaining = (power * POWER_REDUCTION * fraction) / DEC_ONE;
    let burned = 0n;
    for (const u of k.unbondingsFrom(ctx.store, val)) {
      let changed = false;
      const entries = u.entries.map((e) => {
        if (e.creationHeight < infractionHeight || remaining === 0n) return e;
        const cut = [BigInt(e.balance), (BigInt(e.initialBalance) * fraction) / DEC_ONE, remaining].reduce((a, b) => (a < b ? a : b));
        if (cut === 0n) return e;
        remaining -= cut;
        burned += cut;
        changed = true;
        return { ...e, balance: (BigInt(e.balance) - cut).toString() };
      });
      if (changed) k.setUnbonding(ctx.store, { ...u, entries });
    }
    if (burned > 0n) bankKeeper.burnFromModule(ctx, NOT_BONDED_POOL, [{ denom, amount: burned }]);
    const fromValidator = remaining < tokensOf(v) ? remaining : tokensOf(v);
    if (fromValidator > 0n) {
      // The share of the validator's tokens burned, rounded up (the SDK's effective fraction).
      const effective = (fromValidator * DEC_ONE + tokensOf(v) - 1n) / tokensOf(v);
      stakingHooks(ctx).beforeValidatorSlashed(ctx, val, effective > DEC_ONE ? DEC_ONE : effective);
      k.setValidator(ctx.store, { ...v, tokens: (tokensOf(v) - fromValidator).toString() });
      bankKeeper.burnFromModule(ctx, k.poolOf(v), [{ denom, amount: fromValidator }]);
    }
    const total = burned + fromValidator;
    ctx.events.emit("slash", { address: val, power: power.toString(), burned_coins: total.toString() });
    return total;
  },

  isBonded(ctx: Context, val: string): boolean {
    return k.mustValidator(ctx.store, val).status === BondStatus.BOND_STATUS_BONDED;
  },
};
