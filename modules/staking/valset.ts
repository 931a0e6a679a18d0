import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { BondStatus, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../chain/module.ts";
import { BONDED_POOL, MAX_MATURED_PER_BLOCK, NOT_BONDED_POOL } from "./keys.ts";
import { consensusKey, dueBy, powerOf, stakingKeeper as k, stakingStore, tokensOf } from "./keeper.ts";

const byPower = (a: Validator, b: Validator) => {
  const d = powerOf(b) - powerOf(a);
  if (d !== 0n) return d > 0n ? 1 : -1;
  return a.operatorAddress < b.operatorAddress ? -1 : a.operatorAddress > b.operatorAddress ? 1 : 0;
};

/**
 * The SDK's ApplyAndReturnValidatorSetUpdates: the top `max_validators` unjailed
 * validators by power are bonded, others leaving the set start unbonding; returns the
 * changes for CometBFT (power 0 removes a validator).
 */
export function applyValidatorSetUpdates(ctx: Context): ValidatorUpdate[] {
  const params = k.getParams(ctx.store);
  const candidates = k.allValidators(ctx.store).filter((v) => !v.jailed && powerOf(v) > 0n).sort(byPower).slice(0, params.maxValidators);
  const chosen = new Set(candidates.map((v) => v.operatorAddress));
  const updates: ValidatorUpdate[] = [];

  for (const v of candidates) {
    let current = v;
    if (v.status !== BondStatus.BOND_STATUS_BONDED) {
      if (v.status === BondStatus.BOND_STATUS_UNBONDING) stakingStore.validatorQueue.remove(ctx.store, [v.unbondingTime.seconds, v.operatorAddress]);
      current = { ...v, status: BondStatus.BOND_STATUS_BONDED, unbondingHeight: 0n, unbondingTime: { seconds: 0n, nanos: 0 } };
      k.setValidator(ctx.store, current);
      k.movePool(ctx, NOT_BONDED_POOL, BONDED_POOL, tokensOf(v));
    }
    const power = powerOf(current);
    if (power !== k.lastPower(ctx.store, v.operatorAddress)) {
      updates.push({ pubKey: { ed25519: consensusKey(current) }, power });
      k.setLastPower(ctx.store, v.operatorAddress, power);
    }
  }
  for (const { val } of k.lastPowers(ctx.store)) {
    if (chosen.has(val)) continue;
    const v = k.mustValidator(ctx.store, val);
    const until = ctx.block.timeSeconds + params.unbondingTime.seconds;
    k.setValidator(ctx.store, { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingHeight: ctx.block.height, unbondingTime: { seconds: until, nanos: 0 } });
    stakingStore.validatorQueue.add(ctx.store, [until, val]);
    k.movePool(ctx, BONDED_POOL, NOT_BONDED_POOL, tokensOf(v));
    k.setLastPower(ctx.store, val, 0n);
    updates.push({ pubKey: { ed25519: consensusKey(v) }, power: 0n });
  }
  return updates;
}

/** Validators whose unbonding period has passed become unbonded (bounded per block). */
export function completeUnbondingValidators(ctx: Context): void {
  let budget = MAX_MATURED_PER_BLOCK;
  for (const key of stakingStore.validatorQueue.keys(ctx.store, dueBy(ctx.block.timeSeconds))) {
    const [time, val] = key;
    if (budget-- <= 0 || time > ctx.block.timeSeconds) break;
    stakingStore.validatorQueue.remove(ctx.store, key);
    const v = k.getValidator(ctx.store, val);
    if (v && v.status === BondStatus.BOND_STATUS_UNBONDING) k.setValidator(ctx.store, { ...v, status: BondStatus.BOND_STATUS_UNBONDED });
  }
}
