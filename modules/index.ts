import type { Module } from "../chain/module.ts";
import { createUpgradeModule, type UpgradeHandler } from "./upgrade/index.ts";
import type { AnteHandler } from "../chain/tx/ante-options.ts";
import type { KVReader } from "../chain/store/kv.ts";
import { runAnte } from "./ante/ante.ts";
import { authModule } from "./auth/index.ts";
import { bankModule } from "./bank/index.ts";
import { distributionModule } from "./distribution/index.ts";
import { createGovModule } from "./gov/index.ts";
import { gpowModule } from "./gpow/index.ts";
import { watcherModule } from "./watcher/index.ts";
import { marketModule } from "./market/index.ts";
import { mintModule } from "./mint/index.ts";
import { peernodeModule } from "./peernode/index.ts";
import { marketProgress, settlementModule } from "./settlement/index.ts";
import { gpowWorkSink } from "./settlement/work.ts";
import { slashingModule } from "./slashing/index.ts";
import { stakingModule } from "./staking/index.ts";
import { stakingKeeper } from "./staking/keeper.ts";
import type { WorkSink } from "./gpow/expected.ts";
import type { SettlementProgressHooks } from "./market/expected.ts";

/*
 * Module folders import each other in one direction only (ARCHITECTURE.md, checked by
 * scripts/check-layers): auth, epochs · bank · ante · staking, mint · gov, distribution,
 * slashing · settlement · peernode · market, watcher · gpow. A module that needs one after
 * it declares what in its expected.ts and that module registers it as a hook
 * (`ctx.hooks.get(target)`): settlement reads gpow, watcher, market and peernode through
 * settlement/expected.ts, and takes gpow's work (gpow/expected.ts) and tells market what
 * is settled (market/expected.ts) the same way. Those two hooks of settlement's are
 * checked here against what gpow and market expect, since settlement may not import them.
 */
void ({ gpow: gpowWorkSink, market: marketProgress } satisfies { gpow: WorkSink; market: SettlementProgressHooks });

/** The app's modules, in genesis and block-hook order (a fresh list per app: gov binds to its router). */
export function createModules(o: { upgradeHandlers?: readonly UpgradeHandler[] } = {}): readonly Module[] {
  // settlement right after mint (it takes its share of the block's inflation before
  // distribution empties the fee collector); distribution after staking (its genesis reads
  // validators) and before slashing (last block's rewards before this block's slashes, as
  // in the SDK's begin-block order); gov last (proposals run other modules' messages);
  // x/upgrade before all of them.
  const modules = [
    authModule, bankModule, mintModule, settlementModule, stakingModule, distributionModule, slashingModule,
    peernodeModule, marketModule, watcherModule, gpowModule, createGovModule(),
  ];
  // x/upgrade first: at an upgrade height its handler runs (or the node stops) before anything else
  return [createUpgradeModule({ handlers: o.upgradeHandlers ?? [], modules: modules.map((m) => m.name) }), ...modules];
}

export const anteHandler: AnteHandler = runAnte;

/** A validator's consensus key by CometBFT address: what the app checks beacon signatures with. */
export const consensusKeyOf = (state: KVReader, addressHex: string): Uint8Array | undefined =>
  stakingKeeper.consensusKeyByAddress(state, addressHex);
