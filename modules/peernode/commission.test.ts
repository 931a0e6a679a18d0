import assert from "node:assert/strict";
import { Node } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { decFromString } from "../../chain/dec.ts";
import { scratchContext } from "../../chain/scratch-context.ts";
import { announceCommission, effectiveCommission, registrationLimits } from "./commission.ts";
import { peernodeKeeper as k } from "./keeper.ts";
import { defaultPeernodeParams as params } from "./params.ts";

const d = (s: string) => decFromString(s);
const node = (over: Partial<Node> = {}): Node => Node.fromPartial({
  id: 7n, owner: "o", commission: "0.100000000000000000", maxCommissionRate: "0.200000000000000000", maxCommissionChangeRate: "0.010000000000000000",
  guaranteeTokens: "1000", guaranteeShares: "1000000000000000000000", rewardPerShare: "0", ownerCommission: "0", ...over,
});

describe("peernode: commission changes are limited per epoch and announced an epoch ahead", () => {
  it("registration: the node's ceiling and change rate default to the params and may not exceed them (peernode/11, /16)", () => {
    assert.deepEqual(registrationLimits("", "", d("0.1"), params), { maxCommissionRate: "0.500000000000000000", maxCommissionChangeRate: "0.010000000000000000" });
    assert.throws(() => registrationLimits("0.6", "", d("0.1"), params), /max_commission_rate/);
    assert.throws(() => registrationLimits("", "0.02", d("0.1"), params), /max_commission_change_rate/);
    assert.throws(() => registrationLimits("0.05", "", d("0.1"), params), /commission 0.1/);
  });

  it("a change within the rate is pending from the next epoch; a jump, a second change in the epoch or one above the ceiling is refused", () => {
    const n = announceCommission(node(), d("0.11"), 4n, params);
    assert.deepEqual([n.commission, n.pendingCommission, n.pendingCommissionEpoch], ["0.100000000000000000", "0.110000000000000000", 5n]);
    assert.equal(effectiveCommission(n, 4n), "0.100000000000000000");
    assert.equal(effectiveCommission(n, 5n), "0.110000000000000000");
    assert.throws(() => announceCommission(n, d("0.105"), 4n, params), (e: Error & { code?: number }) => /already changed/.test(e.message) || e.code === 15);
    assert.throws(() => announceCommission(node(), d("0.15"), 4n, params), /moves 0.05/);
    const next = announceCommission(n, d("0.12"), 5n, params);
    assert.deepEqual([next.commission, next.pendingCommission, next.pendingCommissionEpoch], ["0.110000000000000000", "0.120000000000000000", 6n]);
    assert.throws(() => announceCommission(node({ commission: "0.195" }), d("0.205"), 4n, params), /max_commission_rate/);
    // the governed max_commission_change caps every node, also one registered with a larger rate
    assert.throws(() => announceCommission(node({ maxCommissionChangeRate: "0.5" }), d("0.2"), 4n, params), /at most 0.010000000000000000 per epoch/);
  });

  it("creditReward takes the commission in force in the reward's epoch", () => {
    const ctx = scratchContext({ get: () => undefined, iterate: () => [] }, 1n);
    k.setNode(ctx.store, announceCommission(node(), d("0.11"), 4n, params));
    assert.equal(k.creditReward(ctx, 7n, 1_000_000n, 4n).commission, 100_000n, "epoch 4: the old 10%");
    assert.equal(k.creditReward(ctx, 7n, 1_000_000n, 5n).commission, 110_000n, "epoch 5: the announced 11%");
  });
});
