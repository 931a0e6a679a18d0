import assert from "node:assert/strict";
import { BondStatus, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DEC_ONE } from "../../chain/dec.ts";
import { stakingKeeper as k, powerOf } from "./keeper.ts";

const validator = (tokens: bigint, shares: bigint): Validator => ({
  operatorAddress: "arovaloper1zafu84ty5hm5z740tyca2lwvnt8mreywulru77", consensusPubkey: undefined, jailed: false, status: BondStatus.BOND_STATUS_BONDED,
  tokens: tokens.toString(), delegatorShares: shares.toString(),
  description: { moniker: "v", identity: "", website: "", securityContact: "", details: "" }, unbondingHeight: 0n, unbondingTime: { seconds: 0n, nanos: 0 },
  commission: { commissionRates: { rate: "0", maxRate: "0", maxChangeRate: "0" }, updateTime: { seconds: 0n, nanos: 0 } },
  minSelfDelegation: "1", unbondingOnHoldRefCount: 0n, unbondingIds: [],
});

describe("staking: shares and tokens", () => {
  it("the first delegation buys shares 1:1; later ones at the current exchange rate", () => {
    const a = k.addTokens(validator(0n, 0n), 1_000n);
    assert.equal(a.shares, 1_000n * DEC_ONE);
    // after a 10% slash, 900 tokens back 1000 shares: 90 more tokens buy 100 shares
    const slashed = { ...a.validator, tokens: "900" };
    const b = k.addTokens(slashed, 90n);
    assert.equal(b.shares, 100n * DEC_ONE);
    assert.equal(k.tokensFromShares(b.validator, 100n * DEC_ONE), 90n);
  });

  it("unbonding never pays out more than the shares are worth, and rounds in the chain's favour", () => {
    const v = validator(999n, 1_000n * DEC_ONE); // 0.999 tokens per share
    const shares = k.sharesFromTokens(v, 500n); // rounded up
    assert.ok(k.tokensFromShares(v, shares) >= 500n);
    const { tokens, validator: after } = k.removeShares(v, shares);
    assert.equal(tokens, 500n);
    assert.equal(after.tokens, "499");
    const all = k.removeShares(v, 1_000n * DEC_ONE);
    assert.equal(all.tokens, 999n, "removing every share takes every token");
    assert.equal(all.validator.delegatorShares, "0");
  });

  it("refuses to sell shares of a validator whose tokens were all slashed away", () => {
    assert.throws(() => k.addTokens(validator(0n, 5n * DEC_ONE), 1n), /invalid \(zero\) ex-rate/);
  });

  it("voting power is tokens / 10^6, rounded down", () => {
    assert.equal(powerOf(validator(1_999_999n, 0n)), 1n);
    assert.equal(powerOf(validator(100_000_000_000n, 0n)), 100_000n);
  });
});
