import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";

/**
 * What staking needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * staking that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "burnFromModule" | "getBalance" | "sendCoins" | "sendFromAccountToModule"> = bank;
