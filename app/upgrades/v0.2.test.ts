import assert from "node:assert/strict";
import { scratchContext } from "../../chain/scratch-context.ts";
import { gpowKeeper } from "../../modules/gpow/keeper.ts";
import { defaultGpowParams } from "../../modules/gpow/params.ts";
import { upgradeHandlers } from "./index.ts";

describe("upgrade v0.2: state written by v0.1 gets what the new release needs", () => {
  it("x/gpow's max_grant_epochs, absent in v0.1's params (decoded as 0), becomes its default; a set value is kept", () => {
    const v02 = upgradeHandlers.find((h) => h.name === "v0.2")!;
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 10n);
    gpowKeeper.setParams(ctx.store, { ...defaultGpowParams, maxGrantEpochs: 0n });
    v02.migrate(ctx);
    assert.equal(gpowKeeper.getParams(ctx.store).maxGrantEpochs, 720n);
    gpowKeeper.setParams(ctx.store, { ...defaultGpowParams, maxGrantEpochs: 30n });
    v02.migrate(ctx);
    assert.equal(gpowKeeper.getParams(ctx.store).maxGrantEpochs, 30n);
  });
});
