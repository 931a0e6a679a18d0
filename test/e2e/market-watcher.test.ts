import assert from "node:assert/strict";
import { QueryClient, SigningStargateClient, coin, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { aroRegistry, setupAroExtension } from "../../client/index.ts";
import { NatType, Service } from "../../proto/gen/aro/peernode/v1/peernode.ts";
import { MsgPublishContentResponse, MsgWithdrawEscrowResponse } from "../../proto/gen/aro/market/v1/tx.ts";
import { eventually } from "../support/eventually.ts";
import { LocalNode, newAccount, type Funded } from "../../app/testnet/local-node.ts";

const FEE = { amount: [coin(20000, "uaro")], gas: "800000" };
/** A tx included but refused: its code, and the error's description in the log. */
function refused(r: DeliverTxResponse, code: number, description: string): void {
  assert.equal(r.code, code, r.rawLog);
  assert.ok(r.rawLog?.includes(description), `${r.rawLog} should say "${description}"`);
}
const ROOT = "ab".repeat(32);

describe("e2e: aro/market escrow and content, aro/watcher stake — the customer's and the watcher's side", function () {
  let node: LocalNode;
  let alice: Funded; // customer
  let bob: Funded; // node owner, later watcher delegator
  let carol: Funded; // watcher
  const clients: Record<string, SigningStargateClient> = {};
  let comet: Comet38Client;
  let q: ReturnType<typeof QueryClient.withExtensions<ReturnType<typeof setupAroExtension>>>;
  const send = (who: Funded, typeUrl: string, value: object): Promise<DeliverTxResponse> => clients[who.address].signAndBroadcast(who.address, [{ typeUrl, value }], FEE);
  const balance = async (a: string) => BigInt((await clients[a].getBalance(a, "uaro")).amount);

  before(async () => {
    [alice, bob, carol] = [await newAccount(), await newAccount(), await newAccount()];
    node = await LocalNode.create({
      funded: [alice, bob, carol].map((a) => ({ address: a.address, coins: "100000000000uaro" })),
      editGenesis: (g) => {
        Object.assign(g.app_state.peernode.params, { minBond: "1000000" });
        Object.assign(g.app_state.watcher.params, { minStake: "2000000", unbondingTime: "3" });
        // short epochs: a withdrawal is paid after the current epoch's claim window
        Object.assign(g.app_state.settlement.params, { epochLength: "20" });
        Object.assign(g.app_state.gpow.params, { claimWindow: "5" });
      },
    });
    await node.start();
    for (const a of [alice, bob, carol]) clients[a.address] = await SigningStargateClient.connectWithSigner(node.rpc, a.wallet, { registry: aroRegistry(), broadcastPollIntervalMs: 200 });
    comet = await Comet38Client.connect(node.rpc);
    q = QueryClient.withExtensions(comet, setupAroExtension);
  });
  after(async () => {
    for (const c of Object.values(clients)) c.disconnect();
    comet?.disconnect();
    await node?.cleanup();
  });

  it("escrow: deposit, withdraw the unspent part once the windows that could charge it close, never more; the query shows the books", async () => {
    assert.equal((await send(alice, "/aro.market.v1.MsgDepositEscrow", { owner: alice.address, amount: coin("5000000", "uaro") })).code, 0);
    const before = await balance(alice.address);
    const asked = await send(alice, "/aro.market.v1.MsgWithdrawEscrow", { owner: alice.address, amount: coin("2000000", "uaro") });
    assert.equal(asked.code, 0, asked.rawLog);
    const { unlockHeight } = MsgWithdrawEscrowResponse.decode(asked.msgResponses[0].value);
    const params = (await q.aro.settlement.Params({})).params!;
    const claimWindow = (await q.aro.gpow.Params({})).params!.claimWindow;
    const epochEnd = ((BigInt(asked.height) - 1n) / params.epochLength + 1n) * params.epochLength;
    assert.equal(unlockHeight, epochEnd + claimWindow, "paid after the current epoch's claim window");
    // until then it is still chargeable, and not spendable again
    assert.equal(await balance(alice.address), before - 20000n);
    const waiting = (await q.aro.market.Escrow({ owner: alice.address })).escrow!;
    assert.deepEqual([waiting.balance, waiting.withdrawing, waiting.withdrawn], ["3000000", "2000000", "0"]);
    const tooMuch = await send(alice, "/aro.market.v1.MsgWithdrawEscrow", { owner: alice.address, amount: coin("3000001", "uaro") });
    refused(tooMuch, 3, "escrow balance too small");
    await eventually(async () => assert.equal(await balance(alice.address), before - 40000n + 2_000_000n), 60_000, 300);
    const e = (await q.aro.market.Escrow({ owner: alice.address })).escrow!;
    assert.deepEqual([e.balance, e.deposited, e.withdrawn, e.paid, e.held, e.withdrawing], ["3000000", "5000000", "2000000", "0", "0", "0"]);
    const none = await send(bob, "/aro.market.v1.MsgWithdrawEscrow", { owner: bob.address, amount: coin("1", "uaro") });
    refused(none, 2, "no escrow for this account");
  });

  it("content: refused without nodes or escrow, or with a malformed root; placed on a CDN node otherwise", async () => {
    const publish = (who: Funded, over: object = {}) => send(who, "/aro.market.v1.MsgPublishContent", { owner: who.address, root: ROOT, size: 10_000n, replication: 1, regions: [], epochs: 10n, ...over });
    const noNodes = await publish(alice);
    refused(noNodes, 6, "no active node can take a replica");
    await assert.rejects(publish(alice, { root: "xyz" }), /root must be 64 lower-case hex digits/);
    const register = await send(bob, "/aro.peernode.v1.MsgRegisterNode", {
      owner: bob.address, operator: bob.address, peerId: "12D3KooWGzh5ZmpdxoFvC3PN6pfBjfsp9ohsAGSvA1o2CzyCRbtN", multiaddrs: ["/ip4/127.0.0.1/tcp/4001"], endpoints: [],
      region: "asia", resources: { bandwidthMbps: 10n, storageGb: 1n, cpuMillicores: 1000n, memoryMb: 512n, gpus: 0 }, natType: NatType.NAT_TYPE_CONE,
      services: [Service.SERVICE_CDN], commission: "0.05", bond: coin("1000000", "uaro"),
    });
    assert.equal(register.code, 0, register.rawLog);
    const noEscrow = await publish(bob);
    refused(noEscrow, 2, "no escrow for this account");
    const ok = await publish(alice, { regions: ["europe"] });
    assert.equal(ok.code, 0, ok.rawLog);
    const { contentId, replicas } = MsgPublishContentResponse.decode(ok.msgResponses[0].value);
    assert.deepEqual(replicas, [1n], "no CDN node in europe: the draw falls back to any region");
    const c = (await q.aro.market.Content({ contentId })).content!;
    assert.deepEqual([c.chunkCount, c.root], [1n, ROOT], "10 kB in 256 KiB chunks");
    assert.deepEqual((await q.aro.market.NodeReplicas({ nodeId: 1n })).contents.map((x) => x.id), [contentId]);
    const again = await publish(alice);
    refused(again, 7, "content already published");
    assert.ok(c.expiresHeight > c.publishedHeight && c.epochs === 10n && !c.expired, "a paid term of 10 epochs");
    const tooLong = await publish(alice, { root: "cd".repeat(32), epochs: 10_001n });
    refused(tooLong, 8, "invalid storage term");
    await assert.rejects(publish(alice, { root: "cd".repeat(32), epochs: 0n }), /storage term/);
  });

  it("watchers: stake at least the minimum, take delegations and return them after unbonding; attest only in the window", async () => {
    const low = await send(carol, "/aro.watcher.v1.MsgRegisterWatcher", { address: carol.address, region: "asia", stake: coin("1999999", "uaro") });
    refused(low, 4, "stake below the minimum");
    assert.equal((await send(carol, "/aro.watcher.v1.MsgRegisterWatcher", { address: carol.address, region: "asia", stake: coin("2000000", "uaro") })).code, 0);
    assert.equal((await send(bob, "/aro.watcher.v1.MsgDelegateWatcher", { delegator: bob.address, watcher: carol.address, amount: coin("3000000", "uaro") })).code, 0);
    assert.equal((await q.aro.watcher.Watcher({ address: carol.address })).watcher!.tokens, "5000000");
    const notJailed = await send(carol, "/aro.watcher.v1.MsgUnjailWatcher", { address: carol.address });
    refused(notJailed, 13, "watcher is not jailed");
    const early = await send(carol, "/aro.watcher.v1.MsgSubmitAttestations", { watcher: carol.address, epoch: 1000n, reports: [{ nodeId: 1n, uptimePermille: 1000, latencyMs: 5, chunksPassed: 1, chunksFailed: 0 }] });
    refused(early, 7, "outside the attestation window");
    const before = await balance(bob.address);
    assert.equal((await send(bob, "/aro.watcher.v1.MsgUndelegateWatcher", { delegator: bob.address, watcher: carol.address, amount: coin("3000000", "uaro") })).code, 0);
    await eventually(async () => assert.equal(await balance(bob.address), before - 20000n + 3_000_000n), 20_000, 300);
    assert.equal((await q.aro.watcher.Watcher({ address: carol.address })).watcher!.tokens, "2000000");
  });
});
