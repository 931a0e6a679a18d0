import { decToString, DEC_ONE } from "../../chain/dec.ts";
import type { Context } from "../../chain/module.ts";
import { BONDED_POOL, FEE_COLLECTOR, moduleAddress } from "../../chain/module-accounts.ts";
import { MINT_MODULE, mintKeeper } from "./keeper.ts";
import { annualProvisions, blockProvision, nextInflation } from "./minter.ts";
import { authKeeper, bankKeeper } from "./expected.ts";

/** Begin block: update inflation from the bonded ratio, mint this block's provision into the fee collector. */
export function mintBeginBlock(ctx: Context): void {
  const params = mintKeeper.getParams(ctx.store);
  const supply = bankKeeper.getSupply(ctx.store, params.mintDenom);
  if (supply === 0n) return;
  const bonded = bankKeeper.getBalance(ctx.store, moduleAddress(BONDED_POOL), params.mintDenom);
  const minter = mintKeeper.getMinter(ctx.store);
  const inflation = nextInflation(minter, params, (bonded * DEC_ONE) / supply);
  const annual = annualProvisions(inflation, supply);
  mintKeeper.setMinter(ctx.store, { inflation: inflation.toString(), annualProvisions: annual.toString() });
  const amount = blockProvision(annual, params);
  if (amount === 0n) return;
  authKeeper.getOrCreateModuleAccount(ctx.store, MINT_MODULE, ["minter"]);
  const coins = [{ denom: params.mintDenom, amount }];
  bankKeeper.addCoins(ctx, moduleAddress(MINT_MODULE), coins);
  bankKeeper.setSupply(ctx.store, params.mintDenom, supply + amount);
  bankKeeper.sendFromAccountToModule(ctx, moduleAddress(MINT_MODULE), FEE_COLLECTOR, coins);
  ctx.events.emit("mint", { bonded_ratio: decToString((bonded * DEC_ONE) / supply), inflation: decToString(inflation), annual_provisions: decToString(annual), amount: amount.toString() });
}
