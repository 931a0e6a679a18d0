import type { Module } from "../chain/module.ts";
import type { AnteHandler } from "../chain/tx/ante-options.ts";
import { runAnte } from "./auth/ante.ts";
import { authModule } from "./auth/index.ts";
import { bankModule } from "./bank/index.ts";
import { distributionModule } from "./distribution/index.ts";
import { createGovModule } from "./gov/index.ts";
import { marketModule } from "./market/index.ts";
import { mintModule } from "./mint/index.ts";
import { peernodeModule } from "./peernode/index.ts";
import { slashingModule } from "./slashing/index.ts";
import { stakingModule } from "./staking/index.ts";

/** The app's modules, in genesis and block-hook order (a fresh list per app: gov binds to its router). */
export function createModules(): readonly Module[] {
  // distribution after staking (its genesis reads validators) and before slashing (rewards of the
  // last block are allocated before this block's slashes, as in the SDK's begin-block order).
  return [authModule, bankModule, mintModule, stakingModule, distributionModule, slashingModule, peernodeModule, marketModule, createGovModule()];
}

export const anteHandler: AnteHandler = runAnte;
