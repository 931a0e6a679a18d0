import { BondStatus, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { valoperToAccount } from "../../chain/address.ts";
import { decFromWire } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { stakingErrors } from "./errors.ts";
import { MAX_MATURED_PER_BLOCK, NOT_BONDED_POOL } from "./keys.ts";
import { dueBy, stakingKeeper as k, stakingStore } from "./keeper.ts";
import { stakingHooks } from "./staking-hooks.ts";
import { bankKeeper } from "./expected.ts";

/** When tokens leaving `v` become free: after the unbonding period if it is bonded. */
function completionTime(ctx: Context, v: Validator): bigint {
  const now = ctx.block.timeSeconds;
  if (v.status === BondStatus.BOND_STATUS_BONDED) return now + k.getParams(ctx.store).unbondingTime.seconds;
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) return v.unbondingTime.seconds;
  return now;
}

/** Takes `amount` tokens' worth of shares out of (del, val); returns the tokens and the validator after. */
function unbondShares(ctx: Context, del: string, val: string, amount: bigint): { tokens: bigint; before: Validator } {
  const before = k.mustValidator(ctx.store, val);
  const d = k.getDelegation(ctx.store, del, val);
  if (!d) throw stakingErrors.noDelegation.wrap(`${del} has no delegation to ${val}`);
  const owned = decFromWire(d.shares);
  const shares = k.sharesFromTokens(before, amount);
  if (shares > owned) throw stakingErrors.insufficientShares.wrap(`${del} has ${k.tokensFromShares(before, owned)} tokens delegated to ${val}, cannot take ${amount}`);
  const hooks = stakingHooks(ctx);
  hooks.beforeDelegationSharesModified(ctx, del, val);
  k.setDelegation(ctx.store, { ...d, shares: (owned - shares).toString() });
  const { validator, tokens } = k.removeShares(before, shares);
  // An operator whose own stake falls below its minimum is jailed (removed from the set at end of block).
  const isSelf = valoperToAccount(val) === del;
  const after = isSelf && k.selfDelegationTokens(ctx.store, validator) < BigInt(validator.minSelfDelegation) ? { ...validator, jailed: true } : validator;
  k.setValidator(ctx.store, after);
  if (shares < owned) hooks.afterDelegationModified(ctx, del, val);
  return { tokens, before };
}

export function undelegate(ctx: Context, del: string, val: string, amount: bigint): bigint {
  const params = k.getParams(ctx.store);
  const existing = k.getUnbonding(ctx.store, del, val) ?? { delegatorAddress: del, validatorAddress: val, entries: [] };
  if (existing.entries.length >= params.maxEntries) throw stakingErrors.maxUnbondingDelegationEntries.wrap(`${existing.entries.length} entries`);
  const { tokens, before } = unbondShares(ctx, del, val, amount);
  k.movePool(ctx, k.poolOf(before), NOT_BONDED_POOL, tokens);
  const done = completionTime(ctx, before);
  k.setUnbonding(ctx.store, {
    ...existing,
    entries: [...existing.entries, {
      creationHeight: ctx.block.height, completionTime: { seconds: done, nanos: 0 },
      initialBalance: tokens.toString(), balance: tokens.toString(), unbondingId: 0n, unbondingOnHoldRefCount: 0n,
    }],
  });
  stakingStore.unbondingQueue.add(ctx.store, [done, del, val]);
  ctx.events.emit("unbond", { validator: val, delegator: del, amount: `${tokens}${params.bondDenom}`, completion_time: new Date(Number(done) * 1000).toISOString() });
  return done;
}

export function redelegate(ctx: Context, del: string, src: string, dst: string, amount: bigint): bigint {
  if (src === dst) throw stakingErrors.selfRedelegation.wrap(src);
  const dstValidator = k.getValidator(ctx.store, dst);
  if (!dstValidator) throw stakingErrors.badRedelegationDst.wrap(dst);
  k.mustValidator(ctx.store, src);
  const params = k.getParams(ctx.store);
  // A redelegation still maturing into src must finish first (the SDK's transitive rule).
  for (const r of k.redelegationsOf(ctx.store, del)) {
    if (r.validatorDstAddress === src && r.entries.length > 0) throw stakingErrors.transitiveRedelegation.wrap(`${src} still receives a redelegation from ${r.validatorSrcAddress}`);
  }
  const existing = k.getRedelegation(ctx.store, del, src, dst) ?? { delegatorAddress: del, validatorSrcAddress: src, validatorDstAddress: dst, entries: [] };
  if (existing.entries.length >= params.maxEntries) throw stakingErrors.maxRedelegationEntries.wrap(`${existing.entries.length} entries`);
  const { tokens, before } = unbondShares(ctx, del, src, amount);
  if (tokens === 0n) throw stakingErrors.tinyRedelegationAmount.wrap(`${amount}`);
  const dstNow = k.mustValidator(ctx.store, dst);
  k.movePool(ctx, k.poolOf(before), k.poolOf(dstNow), tokens);
  const sharesDst = k.addDelegationShares(ctx, del, dstNow, tokens);
  const done = completionTime(ctx, before);
  if (done > ctx.block.timeSeconds) {
    k.setRedelegation(ctx.store, {
      ...existing,
      entries: [...existing.entries, {
        creationHeight: ctx.block.height, completionTime: { seconds: done, nanos: 0 },
        initialBalance: tokens.toString(), sharesDst: sharesDst.toString(), unbondingId: 0n, unbondingOnHoldRefCount: 0n,
      }],
    });
    stakingStore.redelegationQueue.add(ctx.store, [done, del, [src, dst]]);
  }
  ctx.events.emit("redelegate", { source_validator: src, destination_validator: dst, amount: `${tokens}${params.bondDenom}`, completion_time: new Date(Number(done) * 1000).toISOString() });
  return done;
}

/**
 * Pays out matured unbonding entries and drops matured redelegation entries, at most
 * MAX_MATURED_PER_BLOCK queue keys per block (the rest wait for the next block).
 */
export function completeMatured(ctx: Context): void {
  const now = ctx.block.timeSeconds;
  const denom = k.getParams(ctx.store).bondDenom;
  let budget = MAX_MATURED_PER_BLOCK;
  for (const key of stakingStore.unbondingQueue.keys(ctx.store, dueBy(now))) {
    const [time, del, val] = key;
    if (budget-- <= 0 || time > now) break;
    stakingStore.unbondingQueue.remove(ctx.store, key);
    const u = k.getUnbonding(ctx.store, del, val);
    if (!u) continue;
    const due = u.entries.filter((e) => e.completionTime.seconds <= now);
    const paid = due.reduce((s, e) => s + BigInt(e.balance), 0n);
    if (paid > 0n) bankKeeper.sendCoins(ctx, moduleAddress(NOT_BONDED_POOL), del, [{ denom, amount: paid }]);
    k.setUnbonding(ctx.store, { ...u, entries: u.entries.filter((e) => e.completionTime.seconds > now) });
    ctx.events.emit("complete_unbonding", { amount: `${paid}${denom}`, validator: val, delegator: del });
  }
  for (const key of stakingStore.redelegationQueue.keys(ctx.store, dueBy(now))) {
    const [time, del, [src, dst]] = key;
    if (budget-- <= 0 || time > now) break;
    stakingStore.redelegationQueue.remove(ctx.store, key);
    const r = k.getRedelegation(ctx.store, del, src, dst);
    if (!r) continue;
    k.setRedelegation(ctx.store, { ...r, entries: r.entries.filter((e) => e.completionTime.seconds > now) });
    ctx.events.emit("complete_redelegation", { source_validator: src, destination_validator: dst, delegator: del });
  }
}
