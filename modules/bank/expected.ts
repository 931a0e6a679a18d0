import { authKeeper as auth } from "../auth/keeper.ts";

/**
 * What bank needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * bank that imports another module, and of each keeper only the methods named here.
 */
export const authKeeper: Pick<typeof auth, "createAccount" | "getAccount" | "getOrCreateModuleAccount"> = auth;
