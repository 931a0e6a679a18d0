import { DEC_ONE } from "./dec.ts";
import { sdkErrors } from "./errors.ts";

/**
 * Stake held as shares of a pool whose tokens can be slashed (guarantees behind a
 * node, stake behind a watcher), with rewards per share accumulated lazily so paying
 * a pool costs O(1) however many holders it has. Shares are 18-decimal fixed point;
 * the reward accumulator is scaled by 10^36.
 */
export const REWARD_SCALE = 10n ** 36n;

export interface Pool {
  readonly tokens: bigint;
  readonly shares: bigint;
}

/** Shares that `amount` tokens buy (1:1 into an empty pool). */
export function sharesForTokens(pool: Pool, amount: bigint): bigint {
  if (pool.shares === 0n) return amount * DEC_ONE;
  if (pool.tokens === 0n) throw sdkErrors.invalidRequest.wrap("the pool was slashed to zero: no new shares can be issued");
  return (amount * pool.shares) / pool.tokens;
}

/** Tokens `shares` are worth now (rounded down). */
export function tokensForShares(pool: Pool, shares: bigint): bigint {
  return pool.shares === 0n ? 0n : (shares * pool.tokens) / pool.shares;
}

/** Shares needed to take `amount` tokens out (rounded up, so nobody takes more than they own). */
export function sharesToRemove(pool: Pool, amount: bigint): bigint {
  if (pool.tokens === 0n) throw sdkErrors.insufficientFunds.wrap("the pool holds no tokens");
  return (amount * pool.shares + pool.tokens - 1n) / pool.tokens;
}

/** The accumulator after `reward` tokens are shared among all shares. */
export function accumulate(rewardPerShare: bigint, reward: bigint, shares: bigint): bigint {
  return shares === 0n ? rewardPerShare : rewardPerShare + (reward * REWARD_SCALE) / shares;
}

/** What `shares` earned since the accumulator stood at `start` (rounded down). */
export function earned(shares: bigint, rewardPerShare: bigint, start: bigint): bigint {
  return (shares * (rewardPerShare - start)) / REWARD_SCALE;
}
