import { stakingKeeper as staking } from "../staking/keeper.ts";

/**
 * What slashing needs from the modules below it (the SDK's expected_keepers.go): the only file of
 * slashing that imports another module, and of each keeper only the methods named here.
 */
export const stakingKeeper: Pick<typeof staking, "getDelegation" | "getValidator" | "tokensFromShares" | "validatorByConsAddress"> = staking;
export { consensusAddressHex, consensusKey } from "../staking/keeper.ts";
export { stakingSlashing } from "../staking/slash.ts";
