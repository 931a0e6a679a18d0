import { authKeeper as auth } from "../auth/keeper.ts";
import { bankKeeper as bank } from "../bank/keeper.ts";

/**
 * What ante needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * ante that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "getAccount" | "getParams" | "setAccount"> = auth;
export const bankKeeper: Pick<typeof bank, "sendFromAccountToModule"> = bank;
export { FEE_COLLECTOR } from "../auth/keeper.ts";
