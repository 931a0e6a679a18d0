import { EpochPhase, GenesisState } from "../../proto/gen/aro/settlement/v1/settlement.ts";
import { sdkErrors } from "../../chain/errors.ts";
import type { Context } from "../../chain/module.ts";
import type { KVReader } from "../../chain/store/kv.ts";
import { moduleAddress } from "../../chain/module-accounts.ts";
import { SETTLEMENT_POOL } from "./keys.ts";
import { settlementStore } from "./store.ts";
import { defaultSettlementParams, settlementParams, validateSettlementParams } from "./params.ts";
import { authKeeper, bankKeeper, stakingKeeper } from "./expected.ts";

export const defaultSettlementGenesis = (): unknown => GenesisState.toJSON({ params: defaultSettlementParams });

export function initSettlementGenesis(ctx: Context, raw: unknown): void {
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(raw ?? {});
  } catch (err) {
    throw sdkErrors.invalidRequest.wrap(`settlement genesis: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultSettlementParams;
  validateSettlementParams(params);
  settlementParams.set(ctx.store, params);
  authKeeper.getOrCreateModuleAccount(ctx.store, SETTLEMENT_POOL);
}

/** Only parameters are exported: a chain restarted from an export starts its epochs afresh. */
export function exportSettlementGenesis(state: KVReader): unknown {
  return GenesisState.toJSON({ params: settlementParams.get(state) });
}

/** The settlement account holds exactly what unsettled epochs have not paid out yet. */
export function settlementInvariants(state: KVReader): string[] {
  let owed = 0n;
  for (const s of settlementStore.epochs.values(state, { from: settlementStore.nextToSettle.peek(state) })) {
    if (s.phase !== EpochPhase.EPOCH_PHASE_SETTLED) owed += BigInt(s.pool) + BigInt(s.usageIncome || "0") - BigInt(s.paid);
  }
  const denom = stakingKeeper.getParams(state).bondDenom;
  const held = bankKeeper.getBalance(state, moduleAddress(SETTLEMENT_POOL), denom);
  return held === owed ? [] : [`settlement/pool: holds ${held}${denom}, unsettled epochs are owed ${owed}`];
}
