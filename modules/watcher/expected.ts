import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";
import { peernodeKeeper as peernode } from "../peernode/keeper.ts";
import { stakingKeeper as staking } from "../staking/keeper.ts";

/**
 * What watcher needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * watcher that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getOrCreateModuleAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "burnFromModule" | "getBalance" | "sendCoins" | "sendFromAccountToModule"> = bank;
export const peernodeKeeper: Pick<typeof peernode, "allNodes" | "getParams" | "mustNode"> = peernode;
export const stakingKeeper: Pick<typeof staking, "getParams"> = staking;
export { validateRegion } from "../peernode/validation.ts";
export { minEpoch, recordRetention } from "../settlement/retention.ts";
