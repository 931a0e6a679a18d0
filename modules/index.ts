import type { Module } from "../chain/module.ts";
import type { AnteHandler } from "../chain/tx/ante-options.ts";
import { runAnte } from "./auth/ante.ts";
import { authModule } from "./auth/index.ts";
import { bankModule } from "./bank/index.ts";
import { mintModule } from "./mint/index.ts";
import { slashingModule } from "./slashing/index.ts";
import { stakingModule } from "./staking/index.ts";

/** The app's modules, in genesis and block-hook order. */
export const modules: readonly Module[] = [authModule, bankModule, mintModule, stakingModule, slashingModule];

export const anteHandler: AnteHandler = runAnte;
