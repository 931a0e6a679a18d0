import assert from "node:assert/strict";
import { GasPrice, QueryClient, SigningStargateClient, setupBankExtension, setupDistributionExtension, setupStakingExtension, coin, coins } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryDelegationRewardsRequest, QueryDelegationRewardsResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { toValoper } from "../../chain/address.ts";
import { decFromString, DEC_ONE } from "../../chain/dec.ts";
import { moduleAddress } from "../../modules/auth/keeper.ts";
import { LocalNode, VALIDATOR_SELF_BOND, newAccount, type Funded } from "../../app/testnet/local-node.ts";

type Events = readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
const attr = (events: Events, type: string, key: string) => events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
/** "12.5uaro" or "12uaro" → 18-decimal bigint ("" → 0). */
const decAmount = (s: string | undefined) => (s ? decFromString(s.replace(/uaro$/, "")) : 0n);
const FEE = { amount: coins(10000, "uaro"), gas: "400000" };
const DELEGATED = 100_000_000_000n;

describe("e2e: x/distribution — fees and inflation shared by stake, lazily, through CosmJS", function () {
  let node: LocalNode;
  let dave: Funded; // delegator
  let erin: Funded; // dave's withdraw address later
  let daveClient: SigningStargateClient;
  let operator: SigningStargateClient;
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupDistributionExtension>, ReturnType<typeof setupStakingExtension>, ReturnType<typeof setupBankExtension>>>;
  let delegatedAt = 0;
  const val = () => toValoper(node.operator.address);
  const balance = async (address: string) => BigInt((await q.bank.balance(address, "uaro")).amount);
  const rewardsAt = async (height: number) => {
    const data = QueryDelegationRewardsRequest.encode({ delegatorAddress: dave.address, validatorAddress: val() }).finish();
    const r = await q.queryAbci("/cosmos.distribution.v1beta1.Query/DelegationRewards", data, height);
    return decAmount(QueryDelegationRewardsResponse.decode(r.value).rewards.find((c) => c.denom === "uaro")?.amount.replace(/^(\d*)(\d{18})$/, "$1.$2"));
  };
  const waitHeight = async (h: number) => {
    while ((await comet.status()).syncInfo.latestBlockHeight < h) await new Promise((r) => setTimeout(r, 200));
  };

  before(async () => {
    dave = await newAccount();
    erin = await newAccount();
    node = await LocalNode.create({ funded: [{ address: dave.address, coins: "150000000000uaro" }] });
    await node.start();
    const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };
    daveClient = await SigningStargateClient.connectWithSigner(node.rpc, dave.wallet, opts);
    operator = await SigningStargateClient.connectWithSigner(node.rpc, node.operator.wallet, opts);
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupDistributionExtension, setupStakingExtension, setupBankExtension);
  });
  after(async () => {
    daveClient?.disconnect();
    operator?.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("delegateTokens: the delegation earns exactly its stake's share of every block's rewards after commission", async () => {
    const r = await daveClient.delegateTokens(dave.address, val(), coin(DELEGATED.toString(), "uaro"), FEE);
    assert.equal(r.code, 0, r.rawLog);
    delegatedAt = r.height;
    const h = delegatedAt + 6;
    await waitHeight(h);
    // Recompute from chain data: each block's "rewards" minus "commission" for the validator,
    // accumulated since the delegation, divided by the validator's tokens, times dave's stake.
    let shared = 0n;
    for (let b = delegatedAt + 1; b <= h; b++) {
      const events = (await comet.blockResults(b)).finalizeBlockEvents as Events;
      for (const e of events.filter((e) => e.attributes.some((a) => a.key === "validator" && a.value === val()))) {
        const amount = decAmount(e.attributes.find((a) => a.key === "amount")?.value);
        if (e.type === "rewards") shared += amount;
        if (e.type === "commission") shared -= amount;
      }
    }
    assert.ok(shared > 0n, "blocks allocated rewards");
    const tokens = VALIDATOR_SELF_BOND + DELEGATED;
    const ratio = (shared * DEC_ONE) / (tokens * DEC_ONE);
    const expected = (ratio * DELEGATED * DEC_ONE) / DEC_ONE;
    assert.equal(await rewardsAt(h), expected, "DelegationRewards at that height equals the recomputed amount");
    const commissionRate = Number((await q.staking.validator(val())).validator.commission.commissionRates.rate) / 1e18;
    assert.ok(commissionRate > 0, "the genesis validator charges commission");
  });

  it("the CosmJS distribution extension returns consistent data", async () => {
    const params = (await q.distribution.params()).params;
    assert.equal(params.communityTax, "20000000000000000", "2% community tax");
    assert.equal(params.withdrawAddrEnabled, true);
    const total = await q.distribution.delegationTotalRewards(dave.address);
    assert.deepEqual(total.rewards.map((r) => r.validatorAddress), [val()]);
    assert.equal(total.total[0].amount, total.rewards[0].reward[0].amount);
    assert.deepEqual((await q.distribution.delegatorValidators(dave.address)).validators, [val()]);
    assert.equal((await q.distribution.delegatorWithdrawAddress(dave.address)).withdrawAddress, dave.address);
    const pool = (await q.distribution.communityPool()).pool;
    assert.ok(BigInt(pool[0].amount) > 0n, "the community tax fills the pool");
    const commission = BigInt((await q.distribution.validatorCommission(val())).commission!.commission[0].amount);
    const outstanding = BigInt((await q.distribution.validatorOutstandingRewards(val())).rewards!.rewards[0].amount);
    assert.ok(commission > 0n && outstanding > commission, "outstanding rewards hold the commission and the delegators' part");
    assert.deepEqual((await q.distribution.validatorSlashes(val(), 1, delegatedAt + 100)).slashes, []);
    assert.ok(BigInt((await q.bank.balance(moduleAddress("distribution"), "uaro")).amount) * DEC_ONE >= outstanding, "the module account backs the rewards");
  });

  it("withdrawRewards pays the delegator; after MsgSetWithdrawAddress they go to the new address", async () => {
    const before = await balance(dave.address);
    const r = await daveClient.withdrawRewards(dave.address, val(), FEE);
    assert.equal(r.code, 0, r.rawLog);
    const withdrawn = BigInt(attr(r.events, "withdraw_rewards", "amount")!.replace(/uaro$/, ""));
    assert.ok(withdrawn * DEC_ONE >= (await rewardsAt(r.height - 1)) - DEC_ONE, "at least what was pending a block earlier");
    assert.equal(await balance(dave.address), before - 10000n + withdrawn, "the rewards landed in dave's account");
    assert.ok((await rewardsAt(r.height)) < (await rewardsAt(r.height - 1)), "the pending rewards were reset");

    const s = await daveClient.signAndBroadcast(dave.address, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: { delegatorAddress: dave.address, withdrawAddress: erin.address } }], FEE);
    assert.equal(s.code, 0, s.rawLog);
    assert.equal((await q.distribution.delegatorWithdrawAddress(dave.address)).withdrawAddress, erin.address);
    const daveBefore = await balance(dave.address);
    const w = await daveClient.withdrawRewards(dave.address, val(), FEE);
    assert.equal(w.code, 0, w.rawLog);
    const second = BigInt(attr(w.events, "withdraw_rewards", "amount")!.replace(/uaro$/, ""));
    assert.ok(second > 0n);
    assert.equal(await balance(erin.address), second, "rewards went to the withdraw address");
    assert.equal(await balance(dave.address), daveBefore - 10000n, "dave paid only the fee");
  });

  it("the operator withdraws its commission", async () => {
    const before = await balance(node.operator.address);
    const r = await operator.signAndBroadcast(node.operator.address, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: val() } }], FEE);
    assert.equal(r.code, 0, r.rawLog);
    const paid = BigInt(attr(r.events, "withdraw_commission", "amount")!.replace(/uaro$/, ""));
    assert.ok(paid > 0n);
    assert.equal(await balance(node.operator.address), before - 10000n + paid);
    const left = BigInt((await q.distribution.validatorCommission(val())).commission!.commission[0]?.amount ?? "0");
    assert.ok(left < (paid * DEC_ONE) / 2n, "only the commission of the block or two since remains");
  });

  it("undelegating pays the pending rewards on the way out", async () => {
    const erinBefore = await balance(erin.address);
    const r = await daveClient.undelegateTokens(dave.address, val(), coin(DELEGATED.toString(), "uaro"), FEE);
    assert.equal(r.code, 0, r.rawLog);
    const paid = BigInt(attr(r.events, "withdraw_rewards", "amount")!.replace(/uaro$/, ""));
    assert.ok(paid > 0n);
    assert.equal(await balance(erin.address), erinBefore + paid);
    await assert.rejects(q.distribution.delegationRewards(dave.address, val()), /delegation does not exist/);
    assert.deepEqual((await q.distribution.delegatorValidators(dave.address)).validators, []);
  });

  it("refuses bad input with distribution codes and changes nothing", async () => {
    const before = await balance(dave.address);
    const send = (typeUrl: string, value: object) => daveClient.signAndBroadcast(dave.address, [{ typeUrl, value }], FEE);
    const noDelegation = await send("/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", { delegatorAddress: dave.address, validatorAddress: val() });
    assert.deepEqual([noDelegation.code, noDelegation.rawLog?.includes("no delegation distribution info")], [5, true]);
    const notValidator = await send("/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", { validatorAddress: toValoper(dave.address) });
    assert.equal(notValidator.code, 7, notValidator.rawLog);
    const toModule = await send("/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", { delegatorAddress: dave.address, withdrawAddress: moduleAddress("distribution") });
    assert.deepEqual([toModule.code, toModule.rawLog?.includes("is not allowed to receive funds")], [4, true]);
    assert.equal(await balance(dave.address), before - 3n * 10000n, "only the fees were taken");
    assert.equal((await q.distribution.delegatorWithdrawAddress(dave.address)).withdrawAddress, erin.address);
    await assert.rejects(q.distribution.validatorCommission(toValoper(dave.address)), /validator does not exist/);
  });
});
