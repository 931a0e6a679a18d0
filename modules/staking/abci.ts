import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { BondStatus, HistoricalInfo } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../chain/module.ts";
import { stakingKeeper as k, stakingStore } from "./keeper.ts";
import { completeMatured } from "./unbonding.ts";
import { applyValidatorSetUpdates, completeUnbondingValidators } from "./valset.ts";

/** End of block: finish matured unbondings (bounded), then update CometBFT's validator set. */
export function stakingEndBlock(ctx: Context): ValidatorUpdate[] {
  completeUnbondingValidators(ctx);
  completeMatured(ctx);
  const updates = applyValidatorSetUpdates(ctx);
  trackHistoricalInfo(ctx);
  return updates;
}

/** Keeps the bonded set of the last `historical_entries` heights (for IBC-style light clients). */
function trackHistoricalInfo(ctx: Context): void {
  const n = BigInt(k.getParams(ctx.store).historicalEntries);
  if (ctx.block.height > n) stakingStore.historical.delete(ctx.store, ctx.block.height - n);
  if (n === 0n) return;
  const valset = k.allValidators(ctx.store).filter((v) => v.status === BondStatus.BOND_STATUS_BONDED);
  const info = HistoricalInfo.fromPartial({
    header: { chainId: ctx.block.chainId, height: ctx.block.height, time: { seconds: ctx.block.timeSeconds, nanos: 0 } },
    valset,
  });
  stakingStore.historical.set(ctx.store, ctx.block.height, info);
}
