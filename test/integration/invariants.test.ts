import assert from "node:assert/strict";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { CacheKV } from "../../chain/store/cache.ts";
import { bankKeeper } from "../../modules/bank/keeper.ts";
import { bankInvariants } from "../../modules/bank/genesis.ts";
import { stakingInvariants } from "../../modules/staking/genesis.ts";
import { stakingKeeper } from "../../modules/staking/keeper.ts";
import { moduleAddress } from "../../modules/auth/keeper.ts";
import { BONDED_POOL } from "../../modules/staking/keys.ts";
import { marketInvariants } from "../../modules/market/genesis.ts";
import { marketKeeper } from "../../modules/market/keeper.ts";
import { ESCROW_POOL } from "../../modules/market/keys.ts";
import { Content } from "../../proto/gen/aro/market/v1/market.ts";

const A = "aro1zafu84ty5hm5z740tyca2lwvnt8mreywl8pr7c";
const VAL = "arovaloper1zafu84ty5hm5z740tyca2lwvnt8mreywulru77";

describe("invariants: what `inv-check-period` checks after every block", () => {
  it("bank: supply must equal the sum of balances", () => {
    const s = new CacheKV({ get: () => undefined, iterate: () => [] });
    bankKeeper.setBalance(s, A, "uaro", 10n);
    bankKeeper.setSupply(s, "uaro", 10n);
    assert.deepEqual(bankInvariants(s), []);
    bankKeeper.setBalance(s, A, "uaro", 11n); // minted out of thin air
    assert.match(bankInvariants(s)[0], /supply 10uaro != sum of balances 11uaro/);
  });

  it("staking: pools hold exactly the validators' tokens, and shares add up", () => {
    const s = new CacheKV({ get: () => undefined, iterate: () => [] });
    stakingKeeper.setValidator(s, {
      operatorAddress: VAL, consensusPubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: new Uint8Array(32) }).finish() },
      jailed: false, status: BondStatus.BOND_STATUS_BONDED, tokens: "100", delegatorShares: (100n * 10n ** 18n).toString(),
      description: { moniker: "v", identity: "", website: "", securityContact: "", details: "" }, unbondingHeight: 0n,
      unbondingTime: { seconds: 0n, nanos: 0 }, commission: { commissionRates: { rate: "0", maxRate: "0", maxChangeRate: "0" }, updateTime: { seconds: 0n, nanos: 0 } },
      minSelfDelegation: "1", unbondingOnHoldRefCount: 0n, unbondingIds: [],
    });
    stakingKeeper.setDelegation(s, { delegatorAddress: A, validatorAddress: VAL, shares: (100n * 10n ** 18n).toString() });
    bankKeeper.setBalance(s, moduleAddress(BONDED_POOL), "uaro", 100n);
    assert.deepEqual(stakingInvariants(s), []);
    bankKeeper.setBalance(s, moduleAddress(BONDED_POOL), "uaro", 99n);
    assert.match(stakingInvariants(s)[0], /bonded-pool: pool holds 99uaro, bonded validators 100uaro/);
    bankKeeper.setBalance(s, moduleAddress(BONDED_POOL), "uaro", 100n);
    stakingKeeper.setDelegation(s, { delegatorAddress: A, validatorAddress: VAL, shares: (90n * 10n ** 18n).toString() });
    assert.match(stakingInvariants(s)[0], /delegator-shares/);
  });

  it("market: every content's remaining reservation is held in its publisher's escrow", () => {
    const s = new CacheKV({ get: () => undefined, iterate: () => [] });
    const denom = marketKeeper.denom(s);
    const escrow = (held: bigint) => marketKeeper.setEscrow(s, { owner: A, balance: (100n - held).toString(), held: held.toString(), deposited: "100", withdrawn: "0", paid: "0", withdrawing: "0", allotted: "0" });
    const content = (id: bigint, reserved: bigint, expired = false) =>
      marketKeeper.setContent(s, Content.fromPartial({ id, owner: A, root: id.toString().padStart(64, "0"), size: 10n, replicas: [1n], reserved: reserved.toString(), expired }));
    bankKeeper.setBalance(s, moduleAddress(ESCROW_POOL), denom, 100n);
    escrow(30n);
    content(1n, 20n);
    content(2n, 10n);
    assert.deepEqual(marketInvariants(s), []);
    escrow(29n); // a reservation spent or returned without updating its content
    assert.match(marketInvariants(s).join("; "), /contents reserve 30, the escrow holds 29/);
    escrow(30n);
    content(3n, 0n, true);
    assert.deepEqual(marketInvariants(s), []);
    content(3n, 1n, true); // expired but still reserving
    assert.match(marketInvariants(s).join("; "), /content 3 \(expired true\) reserves 1/);
  });
});
