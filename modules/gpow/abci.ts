import type { Context } from "../../chain/module.ts";
import { sha256 } from "../../chain/seed.ts";
import { epochs } from "../epochs/epochs.ts";
import { resolveJobs } from "./compute.ts";
import { resolveClaims } from "./delivery.ts";
import { gpowKeeper as k } from "./keeper.ts";
import { pruneGpowRecords } from "./prune.ts";
import { pruneGrantUsage } from "./grants.ts";

/**
 * Begin block: fixes the seeds no node can know in advance: at an epoch's first block
 * the storage-challenge seed; at the first block after an epoch's claim window the
 * seed of its delivery proofs.
 */
export function recordSeeds(ctx: Context): void {
  const h = ctx.block.height;
  const beacon = ctx.block.seed ?? new Uint8Array(32);
  const epoch = epochs.of(ctx.store, h);
  if (epochs.start(ctx.store, epoch) === h) k.setEpochSeed(ctx.store, epoch, sha256(beacon, "epoch", epoch.toString()));
  const claimWindow = k.getParams(ctx.store).claimWindow;
  // the epoch whose claim window ended at h - 1
  const past = (h - 1n - claimWindow) / epochs.length(ctx.store) - 1n;
  if (past >= 0n && k.windows(ctx.store, past).claimEnd + 1n === h) k.setProofSeed(ctx.store, past, sha256(beacon, "proofs", past.toString()));
}

/**
 * End block: resolve claims after their proof windows and jobs after their deadlines, then
 * prune the records of epochs past their retention and the usage of grants past their
 * expiry (all bounded).
 */
export function gpowEndBlock(ctx: Context): void {
  resolveClaims(ctx);
  resolveJobs(ctx);
  pruneGpowRecords(ctx);
  pruneGrantUsage(ctx);
}
