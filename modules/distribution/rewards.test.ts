import assert from "node:assert/strict";
import { BondStatus, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DEC_ONE } from "../../chain/dec.ts";
import { EventManager } from "../../chain/events.ts";
import { GasMeter } from "../../chain/gas.ts";
import { HookRegistry } from "../../chain/hooks.ts";
import type { Context } from "../../chain/module.ts";
import { CacheKV } from "../../chain/store/cache.ts";
import { moduleAddress } from "../auth/keeper.ts";
import { bankKeeper } from "../bank/keeper.ts";
import { decCoins, roundHalfEven } from "./dec-coins.ts";
import { distributionInvariants } from "./genesis.ts";
import { distributionModule } from "./index.ts";
import { distributionKeeper } from "./keeper.ts";
import { allocateToValidator, calculateDelegationRewards, incrementValidatorPeriod, initializeDelegation, initializeValidator, withdrawDelegationRewards } from "./rewards.ts";
import { stakingKeeper } from "../staking/keeper.ts";
import { BONDED_POOL } from "../staking/keys.ts";
import { stakingSlashing } from "../staking/slash.ts";
import { undelegate } from "../staking/unbonding.ts";

const VAL = "arovaloper1zafu84ty5hm5z740tyca2lwvnt8mreywulru77";
const A = "aro1cdmy360v52q9e6lpsmy34m585g55hh8sh0psyu";
const B = "aro1fn5qqv7s26jyemfa4jnd5jv749u66n8z6z5w0r";
const M = 1_000_000n;
const uaro = (n: bigint) => [{ denom: "uaro", amount: n }];

describe("distribution: F1 lazy rewards (pure state machine, real staking hooks)", () => {
  const store = new CacheKV({ get: () => undefined, iterate: () => [] });
  const hooks = new HookRegistry([distributionModule]);
  const at = (height: bigint): Context => ({ store, block: { height, timeSeconds: height, chainId: "t" }, events: new EventManager(), gas: new GasMeter(undefined), mode: "finalize", hooks });
  const pending = (height: bigint, del: string) => {
    const ctx = { ...at(height), store: new CacheKV(store) };
    return calculateDelegationRewards(ctx, VAL, del, incrementValidatorPeriod(ctx, VAL))[0]?.amount ?? 0n;
  };
  /** Rewards arrive in the distribution module and are credited to the validator. */
  const reward = (height: bigint, amount: bigint) => {
    const ctx = at(height);
    bankKeeper.addCoins(ctx, moduleAddress("distribution"), uaro(amount));
    bankKeeper.setSupply(store, "uaro", bankKeeper.getSupply(store, "uaro") + amount);
    allocateToValidator(ctx, VAL, decCoins.fromCoins(uaro(amount)));
  };

  before(() => {
    const ctx = at(1n);
    for (const who of [A, B]) bankKeeper.addCoins(ctx, who, uaro(1_000n * M));
    bankKeeper.setSupply(store, "uaro", 2_000n * M);
    const v: Validator = {
      operatorAddress: VAL, consensusPubkey: undefined, jailed: false, status: BondStatus.BOND_STATUS_BONDED, tokens: "0", delegatorShares: "0",
      description: { moniker: "v", identity: "", website: "", securityContact: "", details: "" }, unbondingHeight: 0n, unbondingTime: { seconds: 0n, nanos: 0 },
      commission: { commissionRates: { rate: "0", maxRate: "0", maxChangeRate: "0" }, updateTime: { seconds: 0n, nanos: 0 } },
      minSelfDelegation: "1", unbondingOnHoldRefCount: 0n, unbondingIds: [],
    };
    stakingKeeper.setValidator(store, v);
    initializeValidator(store, VAL);
    assert.equal(stakingKeeper.poolOf(v), BONDED_POOL);
  });

  it("shares each block's rewards by stake, without touching delegations", () => {
    stakingKeeper.delegate(at(2n), A, VAL, 100n * M);
    stakingKeeper.delegate(at(2n), B, VAL, 300n * M);
    reward(3n, 400n * M);
    assert.equal(pending(3n, A), 100n * M * DEC_ONE);
    assert.equal(pending(3n, B), 300n * M * DEC_ONE);
    assert.deepEqual(distributionInvariants(store), []);
  });

  it("a slash splits the reward history: before it at the old stake, after it at the new", () => {
    stakingSlashing.slash(at(4n), VAL, 4n, 400n, DEC_ONE / 2n); // burns half of the 400 * 10^6 tokens
    assert.equal(stakingKeeper.mustValidator(store, VAL).tokens, (200n * M).toString());
    reward(5n, 400n * M);
    // A holds a quarter of the stake before and after: 100 + 100.
    assert.equal(pending(5n, A), 200n * M * DEC_ONE);
    assert.equal(pending(5n, B), 600n * M * DEC_ONE);
    assert.equal(distributionKeeper.slashEvents(store, VAL).length, 1);
    assert.deepEqual(distributionInvariants(store), []);
  });

  it("withdrawing pays whole coins to the withdraw address and restarts the count", () => {
    const before = bankKeeper.getBalance(store, A, "uaro");
    const paid = withdrawDelegationRewards(at(6n), VAL, A);
    assert.deepEqual(paid, uaro(200n * M));
    assert.equal(bankKeeper.getBalance(store, A, "uaro"), before + 200n * M);
    initializeDelegation(at(6n), VAL, A); // as MsgWithdrawDelegatorReward does
    reward(7n, 400n * M);
    assert.ok(pending(7n, A) > 99n * M * DEC_ONE && pending(7n, A) < 101n * M * DEC_ONE, "a quarter of the new block's rewards");
    assert.deepEqual(distributionInvariants(store), []);
  });

  it("undelegating everything pays the rest and removes the record; reference counts stay exact", () => {
    const before = bankKeeper.getBalance(store, B, "uaro");
    const d = stakingKeeper.getDelegation(store, B, VAL)!;
    const tokens = stakingKeeper.tokensFromShares(stakingKeeper.mustValidator(store, VAL), BigInt(d.shares));
    undelegate(at(8n), B, VAL, tokens);
    assert.ok(bankKeeper.getBalance(store, B, "uaro") >= before + 899n * M, "600 + three quarters of 400 paid on the way out (the stake itself is unbonding)");
    assert.equal(distributionKeeper.startingInfo(store, VAL, B), undefined);
    assert.deepEqual(distributionInvariants(store), []);
  });

  it("rounds like the SDK's LegacyDec: half to even", () => {
    assert.equal(roundHalfEven(15n, 10n), 2n);
    assert.equal(roundHalfEven(25n, 10n), 2n);
    assert.equal(roundHalfEven(26n, 10n), 3n);
    assert.equal(roundHalfEven(24n, 10n), 2n);
    const { whole, change } = decCoins.truncate([{ denom: "uaro", amount: 5n * DEC_ONE + 7n }]);
    assert.deepEqual([whole, change], [uaro(5n), [{ denom: "uaro", amount: 7n }]]);
    assert.throws(() => decCoins.sub(uaro(1n), uaro(2n)), /would go negative/);
  });
});
