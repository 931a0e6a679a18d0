import assert from "node:assert/strict";
import { GenesisState, type GrantUsage } from "../../proto/gen/aro/gpow/v1/gpow.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { defaultGpowGenesis, exportGpowGenesis, initGpowGenesis } from "./genesis.ts";
import { grantInvariants } from "./grants.ts";
import { gpowKeeper as k } from "./keeper.ts";

const usage = (over: Partial<GrantUsage> = {}): GrantUsage => ({ grantId: "ab".repeat(32), publisher: "aro1publisher", capBytes: 1000n, chargedBytes: 400n, expiresEpoch: 9n, revokedFromEpoch: 0n, ...over });
const fresh = () => scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
const genesisWith = (grantUsages: GrantUsage[]) => GenesisState.toJSON({ ...GenesisState.fromJSON(defaultGpowGenesis()), grantUsages });

describe("gpow grant usage in genesis and invariants", () => {
  it("a chain exported with grant usages imports them, indexed under their expiry", () => {
    const ctx = fresh();
    const u = [usage(), usage({ grantId: "cd".repeat(32), expiresEpoch: 3n, revokedFromEpoch: 2n })];
    initGpowGenesis(ctx, genesisWith(u));
    assert.deepEqual(GenesisState.fromJSON(exportGpowGenesis(ctx.store)).grantUsages, [...u].sort((a, b) => (a.grantId < b.grantId ? -1 : 1)));
    assert.deepEqual(k.grantsExpiringBy(ctx.store, 5n, 10), [[3n, "cd".repeat(32)]]);
    assert.deepEqual(grantInvariants(ctx.store), []);
  });

  it("refuses a usage charged above its cap or with a malformed id; the invariant catches one charged above its cap", () => {
    assert.throws(() => initGpowGenesis(fresh(), genesisWith([usage({ chargedBytes: 1001n })])), /charged above its cap/);
    assert.throws(() => initGpowGenesis(fresh(), genesisWith([usage({ grantId: "AB".repeat(32) })])), /malformed/);
    const ctx = fresh();
    k.setGrantUsage(ctx.store, usage({ chargedBytes: 1001n }));
    assert.match(grantInvariants(ctx.store).join(), /charged 1001 bytes, above its cap 1000/);
  });
});
