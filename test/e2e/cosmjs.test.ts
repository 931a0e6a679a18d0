import assert from "node:assert/strict";
import {
  GasPrice, QueryClient, SigningStargateClient, StargateClient, setupAuthExtension, setupBankExtension, setupTxExtension,
  accountFromAny, coins, setupMintExtension,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { moduleAddress } from "../../modules/auth/keeper.ts";
import { MsgMultiSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { replayChain } from "../../app/arod/node/replay.ts";
import { CHAIN_ID, LocalNode, VALIDATOR_FUNDS, arodBin, newAccount, type Funded } from "../../app/testnet/local-node.ts";

describe("e2e: unmodified @cosmjs/stargate against cometbft + arod", function () {
  let node: LocalNode;
  let alice: Funded;
  let bob: Funded;

  before(async () => {
    alice = await newAccount();
    bob = await newAccount();
    node = await LocalNode.create({ funded: [{ address: alice.address, coins: "1000000000uaro,500stake" }] });
    await node.start();
  });
  after(async () => node?.cleanup());

  it("connects and reads chain id, height and balances", async () => {
    const client = await StargateClient.connect(node.rpc);
    assert.equal(await client.getChainId(), CHAIN_ID);
    assert.ok((await client.getHeight()) >= 1);
    assert.deepEqual(await client.getBalance(alice.address, "uaro"), { denom: "uaro", amount: "1000000000" });
    assert.deepEqual(await client.getAllBalances(alice.address), [
      { denom: "stake", amount: "500" },
      { denom: "uaro", amount: "1000000000" },
    ]);
    assert.deepEqual(await client.getBalance(bob.address, "uaro"), { denom: "uaro", amount: "0" });
    assert.equal(await client.getAccount(bob.address), null);
    client.disconnect();
  });

  it("sends with fee 'auto', finds the tx by hash, height and sender, and increments the sequence", async () => {
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
    const before = await client.getSequence(alice.address);
    assert.equal(before.sequence, 0);
    const result = await client.sendTokens(alice.address, bob.address, coins(12345, "uaro"), "auto", "hello aro");
    assert.equal(result.code, 0, result.rawLog);
    assert.ok(result.gasUsed > 0n && result.gasUsed <= result.gasWanted);
    const data = TxMsgData.decode(result.msgResponses.length ? TxMsgData.encode({ data: [], msgResponses: result.msgResponses }).finish() : new Uint8Array());
    assert.equal(data.msgResponses[0].typeUrl, "/cosmos.bank.v1beta1.MsgSendResponse");

    assert.equal((await client.getSequence(alice.address)).sequence, 1);
    assert.deepEqual(await client.getBalance(bob.address, "uaro"), { denom: "uaro", amount: "12345" });
    const fee = 1_000_000_000 - 12345 - Number((await client.getBalance(alice.address, "uaro")).amount);
    assert.ok(fee > 0, "a fee was paid");
    assert.equal(BigInt(fee), (result.gasWanted * 25n + 999n) / 1000n, "fee = ceil(gasWanted * 0.025)");

    const tx = await client.getTx(result.transactionHash);
    assert.ok(tx);
    assert.equal(tx.height, result.height);
    const byHash = await client.searchTx(`tx.hash='${result.transactionHash}'`);
    assert.equal(byHash.length, 1);
    const byHeight = await client.searchTx(`tx.height=${result.height}`);
    assert.ok(byHeight.some((t) => t.hash === result.transactionHash));
    const bySender = await client.searchTx(`message.sender='${alice.address}'`);
    assert.ok(bySender.some((t) => t.hash === result.transactionHash));
    const transfer = tx.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.value === bob.address));
    assert.ok(transfer, "transfer event with the recipient");

    // a second and third tx in a row: sequences 1 and 2
    const r2 = await client.sendTokens(alice.address, bob.address, coins(1, "uaro"), "auto");
    const r3 = await client.sendTokens(alice.address, bob.address, coins(1, "stake"), "auto");
    assert.equal(r2.code, 0, `${r2.rawLog} wanted=${r2.gasWanted} used=${r2.gasUsed}`);
    assert.equal(r3.code, 0, r3.rawLog);
    assert.equal((await client.getSequence(alice.address)).sequence, 3);
    const bobAccount = await client.getAccount(bob.address);
    assert.ok(bobAccount, "the recipient got an account");
    assert.equal(bobAccount.sequence, 0);
    client.disconnect();
  });

  it("MsgMultiSend: one input, several outputs", async () => {
    const carol = await newAccount();
    const client = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro"), broadcastPollIntervalMs: 300 });
    const msg = {
      typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
      value: MsgMultiSend.fromPartial({
        inputs: [{ address: alice.address, coins: coins(30, "uaro") }],
        outputs: [{ address: bob.address, coins: coins(10, "uaro") }, { address: carol.address, coins: coins(20, "uaro") }],
      }),
    };
    const bobBefore = BigInt((await client.getBalance(bob.address, "uaro")).amount);
    const r = await client.signAndBroadcast(alice.address, [msg], "auto");
    assert.equal(r.code, 0, r.rawLog);
    assert.equal(BigInt((await client.getBalance(bob.address, "uaro")).amount), bobBefore + 10n);
    assert.equal((await client.getBalance(carol.address, "uaro")).amount, "20");
    const bad = { ...msg, value: { ...msg.value, outputs: [{ address: bob.address, coins: coins(31, "uaro") }] } };
    await assert.rejects(client.signAndBroadcast(alice.address, [bad], "auto"), /sum inputs != sum outputs/);
    client.disconnect();
  });

  it("serves the auth, bank and tx query extensions of QueryClient", async () => {
    const comet = await Comet38Client.connect(node.rpc);
    const q = QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension, setupTxExtension);
    const any = await q.auth.account(alice.address);
    assert.ok(any);
    const account = accountFromAny(any);
    assert.equal(account.address, alice.address);
    assert.ok(account.pubkey, "the public key is stored after the first tx");
    assert.equal(await q.auth.account(bob.address).then((a) => !!a), true);

    assert.equal((await q.bank.balance(bob.address, "stake")).amount, "1");
    const all = await q.bank.allBalances(bob.address);
    assert.deepEqual(all.map((c) => c.denom), ["stake", "uaro"]);
    const total = await q.bank.totalSupply();
    assert.deepEqual(total.supply.find((c) => c.denom === "stake"), { denom: "stake", amount: "500" });
    const supply = BigInt((await q.bank.supplyOf("uaro")).amount);
    const pools = await Promise.all(["fee_collector", "distribution", "settlement"].map(async (m) => BigInt((await q.bank.balance(moduleAddress(m), "uaro")).amount)));
    assert.ok(supply > 1_000_000_000n + VALIDATOR_FUNDS, "x/mint adds inflation every block");
    assert.ok(supply - (1_000_000_000n + VALIDATOR_FUNDS) <= pools[0] + pools[1] + pools[2], "minted coins wait as rewards until withdrawn");
    assert.ok(pools[2] > 0n, "a share of inflation funds PeerNode rewards");
    assert.ok(pools[1] > 0n, "x/distribution took the collected coins");
    const mint = QueryClient.withExtensions(comet, setupMintExtension).mint;
    assert.equal((await mint.params()).mintDenom, "uaro");
    const inflation = Number((await mint.inflation()).toString());
    assert.ok(inflation > 0.13 && inflation <= 0.2, `inflation ${inflation} rises while under 67% is bonded`);
    assert.ok(Number((await mint.annualProvisions()).toString()) > 0);
    const meta = await q.bank.denomMetadata("uaro");
    assert.equal(meta.display, "aro");
    assert.equal(meta.denomUnits.find((u) => u.denom === "aro")?.exponent, 6);
    assert.equal((await q.bank.denomsMetadata()).length, 1);

    const signing = await SigningStargateClient.connectWithSigner(node.rpc, alice.wallet, { gasPrice: GasPrice.fromString("0.025uaro") });
    const sent = await signing.sendTokens(alice.address, bob.address, coins(7, "uaro"), "auto");
    const got = await q.tx.getTx(sent.transactionHash);
    assert.equal(got.txResponse?.txhash, sent.transactionHash);
    assert.equal(got.txResponse?.height, BigInt(sent.height));
    assert.ok(got.txResponse?.timestamp, "block time of the tx");
    assert.equal(got.tx?.body?.messages[0].typeUrl, "/cosmos.bank.v1beta1.MsgSend");
    signing.disconnect();
    comet.disconnect();
  });

  it("answers queries at a recent height (response height always set)", async () => {
    const comet = await Comet38Client.connect(node.rpc);
    // The app's committed height: CometBFT's status counts a block as soon as it is stored,
    // before the app has finished committing it, so a query just after may answer one lower.
    const latest = (await comet.abciInfo()).lastBlockHeight!;
    const { QueryBalanceRequest, QueryBalanceResponse } = await import("cosmjs-types/cosmos/bank/v1beta1/query");
    const data = QueryBalanceRequest.encode({ address: bob.address, denom: "uaro" }).finish();
    const atGenesis = await comet.abciQuery({ path: "/cosmos.bank.v1beta1.Query/Balance", data, height: 1 });
    assert.equal(atGenesis.code, 0);
    assert.equal(atGenesis.height, 1);
    assert.equal(QueryBalanceResponse.decode(atGenesis.value).balance?.amount, "0");
    const now = await comet.abciQuery({ path: "/cosmos.bank.v1beta1.Query/Balance", data });
    assert.ok(now.height! >= latest);
    const viaClient = await StargateClient.connect(node.rpc);
    assert.equal(QueryBalanceResponse.decode(now.value).balance?.amount, (await viaClient.getBalance(bob.address, "uaro")).amount);
    assert.notEqual((await viaClient.getBalance(bob.address, "uaro")).amount, "0");
    viaClient.disconnect();
    const unknown = await comet.abciQuery({ path: "/cosmos.bank.v1beta1.Query/Nope", data });
    assert.equal(unknown.code, 6);
    comet.disconnect();
  });

  it("determinism: `arod debug replay` feeds the chain's blocks into a fresh app and gets every app hash", () => {
    const r = spawnSync(process.execPath, [arodBin, "debug", "replay", "--home", node.home, "--node", node.rpc], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /replayed \d+ blocks: every app hash matches the chain/);
  });

  it("determinism check can fail: a genesis that differs by one coin gives other app hashes", async () => {
    const genesis = JSON.parse(fs.readFileSync(path.join(node.home, "config", "genesis.json"), "utf8"));
    genesis.app_state.bank.balances[0].coins[1].amount = "1000000001";
    genesis.app_state.bank.supply = [];
    const file = path.join(node.home, "tampered-genesis.json");
    fs.writeFileSync(file, JSON.stringify(genesis));
    const r = await replayChain(file, node.rpc, 2);
    assert.equal(r.mismatches.length, 2);
  });
});
