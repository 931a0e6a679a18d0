import { DEC_ONE, decFromWire } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { FEE_COLLECTOR, moduleAddress } from "../../chain/module-accounts.ts";
import { decCoins } from "./dec-coins.ts";
import { distributionKeeper as k } from "./keeper.ts";
import { DISTRIBUTION_MODULE } from "./keys.ts";
import { allocateToValidator } from "./rewards.ts";
import { bankKeeper, stakingKeeper } from "./expected.ts";

/**
 * Begin block: everything in the fee collector (last block's fees and this block's
 * inflation) is shared among the validators of the last commit by voting power, less
 * the community tax. Costs O(validators): delegators are settled lazily.
 */
export function allocateTokens(ctx: Context): void {
  const fees = bankKeeper.getAllBalances(ctx.store, moduleAddress(FEE_COLLECTOR));
  if (fees.length === 0) return;
  bankKeeper.sendCoins(ctx, moduleAddress(FEE_COLLECTOR), moduleAddress(DISTRIBUTION_MODULE), fees);
  const collected = decCoins.fromCoins(fees);
  const votes = ctx.block.lastCommit ?? [];
  const totalPower = votes.reduce((s, v) => s + v.power, 0n);
  let remaining = collected;
  if (totalPower > 0n) {
    const tax = decFromWire(k.getParams(ctx.store).communityTax);
    const toValidators = decCoins.mulDecTruncate(collected, DEC_ONE - tax);
    for (const vote of votes) {
      const v = stakingKeeper.validatorByConsAddress(ctx.store, Buffer.from(vote.address).toString("hex").toUpperCase());
      if (!v) continue; // not a staking validator (its share stays with the community pool)
      const reward = decCoins.mulDecTruncate(toValidators, (vote.power * DEC_ONE) / totalPower);
      allocateToValidator(ctx, v.operatorAddress, reward);
      remaining = decCoins.sub(remaining, reward);
    }
  }
  k.setCommunityPool(ctx.store, decCoins.add(k.communityPool(ctx.store), remaining));
}
