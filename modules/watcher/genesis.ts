import { GenesisState } from "../../proto/gen/aro/watcher/v1/watcher.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import { earned } from "../../chain/share-pool.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { REWARD_POOL, STAKE_POOL } from "./keys.ts";
import { watcherKeeper as k } from "./keeper.ts";
import { defaultWatcherParams, validateWatcherParams } from "./params.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

export const defaultWatcherGenesis = (): unknown => GenesisState.toJSON({ params: defaultWatcherParams, watchers: [], delegations: [], unbondings: [] });

export function initWatcherGenesis(ctx: Context, raw: unknown): void {
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(raw ?? {});
  } catch (err) {
    throw sdkErrors.invalidRequest.wrap(`watcher genesis: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultWatcherParams;
  validateWatcherParams(params);
  k.setParams(ctx.store, params);
  for (const x of g.watchers) k.set(ctx.store, x);
  for (const d of g.delegations) k.setDelegation(ctx.store, d);
  for (const u of g.unbondings) k.setUnbonding(ctx.store, u.completionTime, u.watcher, u.delegator, u.amount);
  authKeeper.getOrCreateModuleAccount(ctx.store, STAKE_POOL, ["burner"]);
  authKeeper.getOrCreateModuleAccount(ctx.store, REWARD_POOL);
  const broken = watcherInvariants(ctx.store);
  if (broken.length) throw sdkErrors.invalidRequest.wrap(`watcher genesis is inconsistent: ${broken.join("; ")}`);
}

export function exportWatcherGenesis(state: KVReader): unknown {
  return GenesisState.toJSON({
    params: k.getParams(state), watchers: k.all(state), delegations: k.allDelegations(state),
    unbondings: k.allUnbondings(state).map((u) => ({ watcher: u.watcher, delegator: u.delegator, amount: u.amount.toString(), completionTime: u.time })),
  });
}

/** The stake account holds every watcher's tokens plus unbondings; shares add up; rewards owed are covered. */
export function watcherInvariants(state: KVReader): string[] {
  const out: string[] = [];
  const denom = k.denom(state);
  let staked = 0n;
  let owed = 0n;
  for (const x of k.all(state)) {
    staked += BigInt(x.tokens);
    const dels = k.delegationsTo(state, x.address);
    const shares = dels.reduce((s, d) => s + BigInt(d.shares), 0n);
    if (shares !== BigInt(x.shares)) out.push(`watcher/shares: ${x.address} has ${x.shares} shares, its delegations ${shares}`);
    for (const d of dels) owed += earned(BigInt(d.shares), BigInt(x.rewardPerShare), BigInt(d.rewardPerShareStart || "0"));
  }
  const unbonding = k.allUnbondings(state).reduce((s, u) => s + u.amount, 0n);
  const held = bankKeeper.getBalance(state, moduleAddress(STAKE_POOL), denom);
  if (held !== staked + unbonding) out.push(`watcher/stake-pool: holds ${held}${denom}, watchers ${staked} + unbonding ${unbonding}`);
  const rewards = bankKeeper.getBalance(state, moduleAddress(REWARD_POOL), denom);
  if (rewards < owed) out.push(`watcher/reward-pool: holds ${rewards}${denom}, owes ${owed}`);
  return out;
}
