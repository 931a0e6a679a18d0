import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { stakingKeeper as staking } from "../staking/keeper.ts";

/**
 * What gov needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * gov that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "burnFromModule" | "sendCoins" | "sendFromAccountToModule"> = bank;
export const stakingKeeper: Pick<typeof staking, "allValidators" | "delegationsOf"> = staking;
export { sharesOf, tokensOf } from "../staking/keeper.ts";
