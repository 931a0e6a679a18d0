import type { Context } from "../../chain/module.ts";

/**
 * What a binary does when the chain reaches an upgrade it knows (the SDK's
 * SetUpgradeHandler): migrate the state at the plan's height, identically on every node.
 * Returns the module consensus versions after the migration (merged into the stored ones).
 */
export interface UpgradeHandler {
  readonly name: string;
  migrate(ctx: Context): Record<string, bigint> | void;
}
