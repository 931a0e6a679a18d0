import type { Context } from "../../chain/module.ts";
import { processDueContent } from "./content-term.ts";
import { marketKeeper } from "./keeper.ts";

/** End block: withdrawals and thawed allotments whose unlock height has come, then the content work due (each bounded). */
export function marketEndBlock(ctx: Context): void {
  marketKeeper.completeWithdrawals(ctx);
  marketKeeper.completeThaws(ctx);
  processDueContent(ctx);
}
