import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { stakingKeeper as staking } from "../staking/keeper.ts";

/**
 * What distribution needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * distribution that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "getAllBalances" | "requireReceivable" | "sendCoins" | "sendFromAccountToModule"> = bank;
export const stakingKeeper: Pick<typeof staking, "allDelegations" | "allValidators" | "delegationsOf" | "delegationsTo" | "getDelegation" | "getParams" | "getValidator" | "mustValidator" | "validatorByConsAddress"> = staking;
export { sharesOf, tokensOf } from "../staking/keeper.ts";
export type { StakingHooks } from "../staking/staking-hooks.ts";
