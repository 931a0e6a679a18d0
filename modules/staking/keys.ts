/** Constants of x/staking (its store layout is `stakingStore` in keeper.ts). */
export { BONDED_POOL, NOT_BONDED_POOL } from "../../chain/module-accounts.ts";
/** Tokens per unit of CometBFT voting power (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;
/** Queue entries completed per block at most, so block time stays flat however many mature at once. */
export const MAX_MATURED_PER_BLOCK = 300;
