import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { GasPrice, QueryClient, SigningStargateClient, setupStakingExtension, coin } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { toValoper } from "../../chain/address.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, VALIDATOR_SELF_BOND, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const dec = (x: string) => (BigInt(Math.round(Number(x) * 1e6)) * 10n ** 12n).toString(); // "0.1" → 18-decimal wire form

function ed25519PubKey(): Uint8Array {
  const { publicKey } = generateKeyPairSync("ed25519");
  return new Uint8Array(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
}

async function cometPowers(rpc: string): Promise<Map<string, number>> {
  const r = (await (await fetch(`${rpc}/validators`)).json()) as any;
  return new Map(r.result.validators.map((v: any) => [v.pub_key.value, Number(v.voting_power)]));
}

describe("e2e: x/staking through CosmJS", function () {
  let node: LocalNode;
  let carol: Funded; // will run a (second, offline) validator
  let dave: Funded; // a delegator
  let client: SigningStargateClient;
  let daveClient: SigningStargateClient;
  const consKey = ed25519PubKey();
  const consKeyB64 = Buffer.from(consKey).toString("base64");

  before(async () => {
    carol = await newAccount();
    dave = await newAccount();
    node = await LocalNode.create({
      funded: [{ address: carol.address, coins: "50000000000uaro" }, { address: dave.address, coins: "50000000000uaro" }],
      editGenesis: (g) => (g.app_state.staking.params.unbonding_time = "10s"),
    });
    await node.start();
    const opts = { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 };
    client = await SigningStargateClient.connectWithSigner(node.rpc, carol.wallet, opts);
    daveClient = await SigningStargateClient.connectWithSigner(node.rpc, dave.wallet, opts);
  });
  after(async () => {
    client?.disconnect();
    daveClient?.disconnect();
    await node?.cleanup();
  });

  const createMsg = (amount: string, minSelf = "1") => ({
    typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
    value: MsgCreateValidator.fromPartial({
      description: { moniker: "carol" },
      commission: { rate: dec("0.1"), maxRate: dec("0.2"), maxChangeRate: dec("0.01") },
      minSelfDelegation: minSelf,
      validatorAddress: toValoper(carol.address),
      pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey }).finish() },
      value: coin(amount, "uaro"),
    }),
  });

  it("the genesis validator is bonded and has power self-bond / 10^6", async () => {
    const powers = await cometPowers(node.rpc);
    assert.equal(powers.size, 1);
    assert.equal([...powers.values()][0], Number(VALIDATOR_SELF_BOND / 1_000_000n));
  });

  it("refuses a self-delegation below the minimum: staking/16", async () => {
    await assert.rejects(client.signAndBroadcast(carol.address, [createMsg("5000000", "6000000")], "auto"), /self delegation must be greater than their minimum/);
  });

  it("MsgCreateValidator: the new validator appears in CometBFT's /validators with power matching its stake", async () => {
    const r = await client.signAndBroadcast(carol.address, [createMsg("7000000")], "auto");
    assert.equal(r.code, 0, r.rawLog);
    await eventually(async () => assert.equal((await cometPowers(node.rpc)).get(consKeyB64), 7)); // in effect two heights later
  });

  it("delegating and undelegating change that power; tokens return after the unbonding period", async () => {
    const val = toValoper(carol.address);
    const d = await daveClient.delegateTokens(dave.address, val, coin("5000000", "uaro"), "auto");
    assert.equal(d.code, 0, d.rawLog);
    await eventually(async () => assert.equal((await cometPowers(node.rpc)).get(consKeyB64), 12));
    const staked = await daveClient.getBalanceStaked(dave.address);
    assert.deepEqual(staked, { denom: "uaro", amount: "5000000" });
    const delegation = await daveClient.getDelegation(dave.address, val);
    assert.deepEqual(delegation, { denom: "uaro", amount: "5000000" });

    const before = BigInt((await daveClient.getBalance(dave.address, "uaro")).amount);
    const u = await daveClient.undelegateTokens(dave.address, val, coin("3000000", "uaro"), "auto");
    assert.equal(u.code, 0, u.rawLog);
    await eventually(async () => assert.equal((await cometPowers(node.rpc)).get(consKeyB64), 9));
    const afterUnbond = BigInt((await daveClient.getBalance(dave.address, "uaro")).amount);
    assert.ok(afterUnbond < before, "only the fee left; the tokens are still unbonding");

    const comet = await Comet38Client.connect(node.rpc);
    const q = QueryClient.withExtensions(comet, setupStakingExtension);
    const ubd = await q.staking.unbondingDelegation(dave.address, val);
    assert.equal(ubd.unbond?.entries[0].balance, "3000000");
    const blockTime = Date.parse((await comet.block(u.height)).block.header.time.toISOString()) / 1000;
    assert.ok(Number(ubd.unbond?.entries[0].completionTime.seconds) - blockTime >= 9, "completes unbonding_time (10s) after the tx's block");
    await eventually(async () => assert.equal(BigInt((await daveClient.getBalance(dave.address, "uaro")).amount), afterUnbond + 3_000_000n, "unbonded tokens came back"));
    await assert.rejects(q.staking.unbondingDelegation(dave.address, val), /not found/);
    comet.disconnect();
  });

  it("the CosmJS staking query extension returns the right data", async () => {
    const comet = await Comet38Client.connect(node.rpc);
    const q = QueryClient.withExtensions(comet, setupStakingExtension);
    const val = toValoper(carol.address);
    const bonded = await q.staking.validators("BOND_STATUS_BONDED");
    assert.equal(bonded.validators.length, 2);
    const v = (await q.staking.validator(val)).validator!;
    assert.equal(v.description.moniker, "carol");
    assert.equal(v.tokens, "9000000");
    assert.equal(v.commission.commissionRates.rate, dec("0.1"));
    const dels = await q.staking.validatorDelegations(val);
    assert.equal(dels.delegationResponses.length, 2);
    const mine = await q.staking.delegatorDelegations(dave.address);
    assert.equal(mine.delegationResponses[0].balance.amount, "2000000");
    assert.equal((await q.staking.delegatorValidators(dave.address)).validators[0].operatorAddress, val);
    assert.equal((await q.staking.delegatorValidator(dave.address, val)).validator?.operatorAddress, val);
    const pool = (await q.staking.pool()).pool;
    assert.equal(BigInt(pool.bondedTokens), VALIDATOR_SELF_BOND + 9_000_000n);
    assert.equal((await q.staking.params()).params.bondDenom, "uaro");
    const height = (await comet.status()).syncInfo.latestBlockHeight - 1;
    assert.equal((await q.staking.historicalInfo(height)).hist?.valset.length, 2);
    assert.equal((await q.staking.redelegations(dave.address, "", "")).redelegationResponses.length, 0);
    comet.disconnect();
  });

  it("redelegation moves stake between validators", async () => {
    const comet = await Comet38Client.connect(node.rpc);
    const q = QueryClient.withExtensions(comet, setupStakingExtension);
    const genesisVal = toValoper(node.operator.address);
    const r = await daveClient.signAndBroadcast(dave.address, [{
      typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: { delegatorAddress: dave.address, validatorSrcAddress: toValoper(carol.address), validatorDstAddress: genesisVal, amount: coin("1000000", "uaro") },
    }], "auto");
    assert.equal(r.code, 0, r.rawLog);
    const reds = await q.staking.redelegations(dave.address, toValoper(carol.address), genesisVal);
    assert.equal(reds.redelegationResponses[0].entries[0].balance, "1000000");
    assert.equal((await q.staking.delegation(dave.address, genesisVal)).delegationResponse?.balance.amount, "1000000");
    comet.disconnect();
  });

  it("refuses bad input: unknown validator (staking/3), unbonding more than delegated (staking/22), wrong denom (staking/46)", async () => {
    const unknown = toValoper((await newAccount()).address);
    await assert.rejects(daveClient.delegateTokens(dave.address, unknown, coin("1", "uaro"), "auto"), /validator does not exist/);
    await assert.rejects(daveClient.undelegateTokens(dave.address, toValoper(carol.address), coin("999999999", "uaro"), "auto"), /insufficient delegation shares/);
    await assert.rejects(daveClient.delegateTokens(dave.address, toValoper(carol.address), coin("1", "stake"), "auto"), /invalid coin denomination/);
  });
});
