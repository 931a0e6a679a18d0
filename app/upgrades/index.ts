import type { UpgradeHandler } from "../../modules/upgrade/index.ts";
import { v0_2 } from "./v0.2.ts";

/**
 * The upgrades this binary knows (the SDK's app/upgrades): when governance schedules a
 * plan by one of these names, this binary migrates the state at its height; a binary
 * that does not know the plan stops there and writes data/upgrade-info.json, so an
 * operator (or cosmovisor) starts the binary that does. A release that changes the state
 * machine adds its handler here.
 */
export const upgradeHandlers: readonly UpgradeHandler[] = [v0_2];
