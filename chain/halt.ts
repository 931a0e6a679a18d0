/**
 * A block the running binary must not execute: the chain scheduled an upgrade at this
 * height and this binary has no handler for it. Raised by x/upgrade in BeginBlock; the
 * app does not finish the block, tells its host (which writes upgrade-info.json and
 * stops the node, as the SDK does for cosmovisor) and answers CometBFT with an error.
 * The new binary then executes the same block with its handler.
 */
export class UpgradeNeeded extends Error {
  constructor(readonly plan: { readonly name: string; readonly height: bigint; readonly info: string }) {
    super(`UPGRADE "${plan.name}" NEEDED at height: ${plan.height}: ${plan.info}`);
  }
}
