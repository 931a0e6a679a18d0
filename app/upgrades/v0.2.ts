import type { UpgradeHandler } from "../../modules/upgrade/index.ts";
import { gpowKeeper } from "../../modules/gpow/keeper.ts";
import { DEFAULT_MAX_GRANT_EPOCHS } from "../../modules/gpow/params.ts";

/**
 * Release v0.2 (large content, collections, media types, delivery grants). New fields
 * decode as empty or zero from the state v0.1 wrote, and every one of them means "none"
 * there (a content's media type, a claim line's grant bytes) except x/gpow's
 * max_grant_epochs, which must be positive: it gets its default (720 epochs).
 */
export const v0_2: UpgradeHandler = {
  name: "v0.2",
  migrate(ctx) {
    const p = gpowKeeper.getParams(ctx.store);
    if (p.maxGrantEpochs === 0n) gpowKeeper.setParams(ctx.store, { ...p, maxGrantEpochs: DEFAULT_MAX_GRANT_EPOCHS });
  },
};
